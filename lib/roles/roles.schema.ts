import { z } from 'zod';
import { descriptionField, idField, nameField } from './names.schema';

export const ROLE_NAME_MAX = 100;

/** Add Role: a custom tenant role. */
export const createRoleSchema = z.object({
  name: nameField(ROLE_NAME_MAX),
  description: descriptionField,
});
export type CreateRoleInput = z.input<typeof createRoleSchema>;

/** Edit Role: rename a custom role and change its description. */
export const updateRoleSchema = z.object({
  id: idField('role'),
  name: nameField(ROLE_NAME_MAX),
  description: descriptionField,
});
export type UpdateRoleInput = z.input<typeof updateRoleSchema>;

/** Remove Role: a custom role, taken off every client and user holding it. */
export const removeRoleSchema = z.object({ id: idField('role') });
export type RemoveRoleInput = z.input<typeof removeRoleSchema>;
