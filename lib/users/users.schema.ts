import { z } from 'zod';
import { idField } from '../roles/names.schema';

const roleIdsField = z.array(z.uuid({ message: 'Unknown role.' })).max(500, 'Too many roles.');

/** Invite User: the user gets Tenant Member plus the chosen roles, and an initial password shown once. */
export const inviteUserSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, 'Enter an email.')
    .max(320, 'That email is too long.')
    .email('Enter a valid email.')
    .transform((e) => e.toLowerCase()),
  name: z
    .string()
    .trim()
    .min(1, 'Enter a name.')
    .max(100, 'Use at most 100 characters.')
    .regex(/^[^\p{Cc}\p{Cf}]*$/u, 'Use printable characters only.'),
  roleIds: roleIdsField.default([]),
});
export type InviteUserInput = z.input<typeof inviteUserSchema>;

/** Edit Roles: the full list of the user's roles (Tenant Member must stay in it). */
export const setUserRolesSchema = z.object({
  userId: idField('user'),
  roleIds: roleIdsField,
});
export type SetUserRolesInput = z.input<typeof setUserRolesSchema>;

/** Remove User. */
export const removeUserSchema = z.object({ userId: idField('user') });
export type RemoveUserInput = z.input<typeof removeUserSchema>;
