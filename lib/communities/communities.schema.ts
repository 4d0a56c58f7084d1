import { z } from 'zod';
import { descriptionField, idField, nameField } from '../roles/names.schema';

// Leaves room for the " Community Member" suffix of the community's role within a role name's 100 characters.
export const COMMUNITY_NAME_MAX = 80;

/** Add Community: this tenant becomes its administrative tenant and first member. */
export const createCommunitySchema = z.object({
  name: nameField(COMMUNITY_NAME_MAX),
  description: descriptionField,
});
export type CreateCommunityInput = z.input<typeof createCommunitySchema>;

/** Remove Community: only by its administrative tenant; its roles are taken off every client and user. */
export const removeCommunitySchema = z.object({ id: idField('community') });
export type RemoveCommunityInput = z.input<typeof removeCommunitySchema>;
