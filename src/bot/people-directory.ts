import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';

export interface RosterPerson { aadObjectId: string; name: string }

/** Enough for several collaboratives' members, chairs and secretariats; the oldest name is dropped first. */
const MAX_NAMES = 2000;
const ROSTER_PAGE = 100;
/** A roster of a few thousand is enough to offer as a choice list; larger teams use the people picker. */
const MAX_ROSTER = 1000;

/**
 * Display names for Entra object ids: cards show people's names, never ids (issue 19). Names come
 * from the conversation's roster (Bot Framework members API, TeamsInfo.getPagedMembers), else one
 * TeamsInfo.getMember call, and are cached (bounded, insertion order). A lookup that fails shows
 * "(not in this team)": a card still renders when Teams cannot say who someone is.
 */
export class PeopleDirectory {
  private readonly names = new Map<string, string>();

  constructor(private readonly logger: Logger) {}

  /** The conversation's members, for the picker's fallback choice list (clients without Data.Query). */
  async roster(context: TurnContext): Promise<RosterPerson[]> {
    const people: RosterPerson[] = [];
    try {
      let continuationToken: string | undefined;
      do {
        const page = await TeamsInfo.getPagedMembers(context, ROSTER_PAGE, continuationToken);
        for (const member of page.members ?? []) {
          if (!member.aadObjectId) continue;
          const name = member.name || member.givenName || member.email || member.aadObjectId;
          people.push({ aadObjectId: member.aadObjectId, name });
          this.remember(member.aadObjectId, name);
        }
        continuationToken = page.continuationToken || undefined;
      } while (continuationToken && people.length < MAX_ROSTER);
    } catch (error) {
      this.logger.warn({ err: error, conversationId: context.activity.conversation?.id }, 'could not read the conversation roster');
    }
    return people;
  }

  /** Names for ids, in order. Reads the roster once if any is unknown, then asks for the rest one by one. */
  async namesOf(context: TurnContext, ids: readonly string[]): Promise<Map<string, string>> {
    const key = (id: string) => id.toLowerCase();
    if (ids.some((id) => !this.names.has(key(id)))) await this.roster(context);
    for (const id of ids) {
      if (this.names.has(key(id))) continue;
      try {
        const member = await TeamsInfo.getMember(context, id);
        this.remember(id, member.name || id);
      } catch {
        this.logger.debug({ aadObjectId: id }, 'person not found in this conversation');
      }
    }
    return new Map(ids.map((id) => [id, this.names.get(key(id)) ?? '(not in this team)']));
  }

  /** The person pressing a card names themself: no lookup needed. */
  remember(aadObjectId: string, name: string): void {
    const key = aadObjectId.toLowerCase();
    this.names.delete(key);
    this.names.set(key, name);
    if (this.names.size > MAX_NAMES) this.names.delete(this.names.keys().next().value as string);
  }
}
