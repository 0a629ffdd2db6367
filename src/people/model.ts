import { z } from 'zod';

/**
 * A person as Teams identifies them. `aadObjectId` is stable across chats and tenants' apps,
 * so roles and votes are keyed on it, never on the channel-specific `from.id`.
 */
export const Person = z.object({
  aadObjectId: z.string().min(1).max(100),
  name: z.string().max(200).default(''),
});
export type Person = z.infer<typeof Person>;

/** How a person is named on cards and in the record: their display name, else their id. */
export const displayName = (person: Person): string => person.name || person.aadObjectId;
