import type { Logger } from 'pino';
import { AgendaEditInput } from '../agenda/actions.js';
import { AgendaFormInput, createAgenda, describeAgendaError, editAgenda, type AgendaError } from '../agenda/agenda.js';
import { toAgendaCardData, toAgendaFormData } from '../agenda/card-data.js';
import type { Agenda } from '../agenda/model.js';
import { rolesOf, type Collaborative } from '../decisions/collaborative.js';
import { ConflictError, type Store } from '../store/store.js';
import type { NewId } from '../shared/clock.js';
import type { CardJson, CardRenderer } from './render.js';
import { refusalCard, sendCard } from './send.js';
import { refusal, verb, type Turn, type VerbReply } from './verb.js';

export interface AgendaDependencies {
  readonly store: Store;
  /** The turn's collaborative (team's or chat's, else the default); read each time, so membership changes apply at once. */
  readonly collaborativeForTurn: (turn: Turn) => Promise<Collaborative | undefined>;
  /** The collaborative an agenda belongs to (issue 19); read each time, like the turn's. */
  readonly collaborativeForAgenda: (agenda: Agenda) => Promise<Collaborative | undefined>;
  readonly renderer: CardRenderer;
  readonly newId: NewId;
  readonly logger: Logger;
}

/** Teams refuses messages over about 28 KB; stay clear of it with room for the envelope. */
export const MAX_CARD_BYTES = 26 * 1024;

/** Agendas in Teams: a form or pasted text becomes a card; editing updates it for everyone. */
export function agendas(deps: AgendaDependencies) {
  const { store, renderer } = deps;

  /** The agenda card; if long recommendations push it past Teams' limit, they are left to the papers. */
  const agendaCard = (agenda: Agenda): CardJson => {
    const full = renderer.render('agenda', toAgendaCardData(agenda));
    if (Buffer.byteLength(JSON.stringify(full)) <= MAX_CARD_BYTES) return full;
    return renderer.render('agenda', toAgendaCardData(agenda, { showRecommendations: false }));
  };

  const formCard = (agenda?: Agenda, retry?: { input: AgendaFormInput; problems: readonly string[] }): CardJson =>
    renderer.render('agenda-form', toAgendaFormData(agenda, retry));

  /**
   * The turn's collaborative when this person may post agendas here (its chair or secretariat) and,
   * for an existing agenda, the agenda is that collaborative's: another collaborative's agenda is
   * not theirs to change, whatever card it was pressed on.
   */
  const editorOf = async (turn: Turn, agenda?: Agenda): Promise<{ kind: 'editor'; collaborative: Collaborative } | { kind: 'not-editor' | 'other-collaborative' }> => {
    const collaborative = await deps.collaborativeForTurn(turn);
    if (!collaborative) return { kind: 'not-editor' };
    if (agenda && (await deps.collaborativeForAgenda(agenda))?.id !== collaborative.id) return { kind: 'other-collaborative' };
    const roles = rolesOf(collaborative, turn.person.aadObjectId);
    return roles.isChair || roles.isSecretariat ? { kind: 'editor', collaborative } : { kind: 'not-editor' };
  };
  const refusalFor = (kind: 'not-editor' | 'other-collaborative') => (kind === 'not-editor' ? notAllowed() : otherCollaborative());
  const notAllowed = () => refusal('Only the chair or secretariat can do that', 'Posting and editing agendas is for the chair and the secretariat. Nothing was changed.');
  const otherCollaborative = () => refusal('That agenda belongs to another collaborative', 'Only its own chair and secretariat, in its own team, can change it. Nothing was changed.');

  const problemsOf = (error: AgendaError): string[] => (error.kind === 'invalid' ? error.problems : [describeAgendaError(error)]);

  const commandAgenda = async (turn: Turn, pasted: string): Promise<void> => {
    const editor = await editorOf(turn);
    if (editor.kind !== 'editor') {
      await sendCard(turn.context, refusalCard(renderer, refusalFor(editor.kind)));
      return;
    }
    if (pasted.trim() === '') {
      await sendCard(turn.context, formCard());
      return;
    }
    const input = AgendaFormInput.parse({ items: pasted });
    const created = createAgenda({ input, by: turn.person, now: turn.now, newId: deps.newId, conversationId: turn.conversationId });
    if (!created.ok) {
      // Every bad line is listed by number; the form keeps all the pasted lines, good and bad.
      await sendCard(turn.context, formCard(undefined, { input, problems: problemsOf(created.error) }));
      return;
    }
    const agenda = { ...created.value, collaborativeId: editor.collaborative.id };
    const activityId = await sendCard(turn.context, agendaCard(agenda));
    await store.putAgenda({ ...agenda, activityId });
    await audit(turn, 'agenda.created', agenda);
  };

  const audit = (turn: Turn, action: 'agenda.created' | 'agenda.edited', agenda: Agenda) =>
    store.appendAudit({ action, by: turn.person, subject: agenda.id, at: turn.now.toISOString(), detail: { version: agenda.current.version, title: agenda.current.meeting.title, items: agenda.current.items.length } });

  const verbs = {
    edit: verb(AgendaEditInput, async (turn, input): Promise<VerbReply> => {
      const agenda = await store.getAgenda(input.agendaId);
      if (!agenda) return refusal('Agenda not found', 'That agenda is no longer on record.');
      const editor = await editorOf(turn, agenda);
      if (editor.kind === 'other-collaborative') return otherCollaborative();
      // Anyone else in its own team just gets the agenda back, as it is.
      if (editor.kind === 'not-editor') return { kind: 'card', card: agendaCard(agenda) };
      // The form replaces the card for the editor only; saving updates it for everyone.
      return { kind: 'card', card: formCard(agenda) };
    }),
    save: verb(AgendaFormInput, async (turn, input): Promise<VerbReply> => {
      const existing = input.agendaId ? await store.getAgenda(input.agendaId) : undefined;
      if (input.agendaId && !existing) return refusal('Agenda not found', 'That agenda is no longer on record.');
      const editor = await editorOf(turn, existing);
      if (editor.kind !== 'editor') return refusalFor(editor.kind);
      const saved = existing
        ? editAgenda({ agenda: existing, input, by: turn.person, now: turn.now })
        : createAgenda({ input, by: turn.person, now: turn.now, newId: deps.newId, conversationId: turn.conversationId });
      if (!saved.ok) return { kind: 'card', card: formCard(existing, { input, problems: problemsOf(saved.error) }) };
      // An agenda saved before agendas were tagged takes its collaborative now (the one just checked).
      const agenda = { ...saved.value, collaborativeId: existing?.collaborativeId ?? editor.collaborative.id, activityId: existing?.activityId ?? turn.cardActivityId };
      try {
        await store.putAgenda(agenda, existing?.current.version);
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        const latest = await store.getAgenda(agenda.id);
        return { kind: 'card', card: formCard(latest, { input, problems: ['Someone saved this agenda while you were editing. Your changes are below; check them against the latest version and save again.'] }) };
      }
      await audit(turn, existing ? 'agenda.edited' : 'agenda.created', agenda);
      return { kind: 'card', card: agendaCard(agenda), shared: true };
    }),
  };

  return { commandAgenda, verbs, agendaCard };
}
