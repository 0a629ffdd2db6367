import type { Logger } from 'pino';
import { AgendaEditInput } from '../agenda/actions.js';
import { AgendaFormInput, createAgenda, describeAgendaError, editAgenda, type AgendaError } from '../agenda/agenda.js';
import { toAgendaCardData, toAgendaFormData, type AgendaCardOptions } from '../agenda/card-data.js';
import type { ItemDeclaration } from '../agenda/interest.js';
import { declarationText } from '../decisions/interests.js';
import { declarationsForItem, declareOnItem, handleOnItem, ItemDeclareInput, ItemHandleInput, itemInterestsForCard, type ItemInterestError } from '../decisions/item-interests.js';
import { interestRefusalText } from './interest-refusals.js';
import { memberName } from '../decisions/collaborative.js';
import type { Result } from '../shared/result.js';
import type { Agenda } from '../agenda/model.js';
import { rolesOf, type Collaborative } from '../decisions/collaborative.js';
import { ConflictError, type Store } from '../store/store.js';
import type { NewId } from '../shared/clock.js';
import type { CardJson, CardRenderer } from './render.js';
import { refusalCard, sendCard, updateCard } from './send.js';
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

  /**
   * The agenda card, with the declarations of interest on its items when the collaborative is known;
   * if long recommendations push it past Teams' limit, they are left to the papers.
   */
  const agendaCard = (agenda: Agenda, collaborative?: Collaborative, note?: AgendaCardOptions['note']): CardJson => {
    const options: AgendaCardOptions = { ...(collaborative ? { interests: itemInterestsForCard(agenda, collaborative) } : {}), ...(note ? { note } : {}) };
    const full = renderer.render('agenda', toAgendaCardData(agenda, options));
    if (Buffer.byteLength(JSON.stringify(full)) <= MAX_CARD_BYTES) return full;
    return renderer.render('agenda', toAgendaCardData(agenda, { ...options, showRecommendations: false }));
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
    const activityId = await sendCard(turn.context, agendaCard(agenda, editor.collaborative));
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
      if (editor.kind === 'not-editor') return { kind: 'card', card: agendaCard(agenda, await deps.collaborativeForAgenda(agenda)) };
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
      return { kind: 'card', card: agendaCard((await store.getAgenda(agenda.id)) ?? agenda, await deps.collaborativeForTurn(turn)), shared: true };
    }),
    declareInterest: verb(ItemDeclareInput, async (turn, input) => interestStep(turn, input.agendaId, 'interest.declared',
      (agenda, collaborative) => declareOnItem({ agenda, collaborative, declarer: turn.person, input, now: turn.now, newId: deps.newId }))),
    handleInterest: verb(ItemHandleInput, async (turn, input) => interestStep(turn, input.agendaId, 'interest.handled',
      (agenda, collaborative) => handleOnItem({ agenda, collaborative, chair: turn.person, input, now: turn.now }))),
  };

  /**
   * A declaration on an item, or the chair's handling: checked by the core, written under the
   * agenda's lock, audited, and shown on the agenda card for everyone. A poll already open for the
   * item gets it too (same id), so the handling applies there at once; later polls copy it on opening.
   */
  const interestStep = async (turn: Turn, agendaId: string, action: 'interest.declared' | 'interest.handled',
    decide: (agenda: Agenda, collaborative: Collaborative) => Result<ItemDeclaration, ItemInterestError>): Promise<VerbReply> => {
    const agenda = await store.getAgenda(agendaId);
    if (!agenda) return refusal('Agenda not found', 'That agenda is no longer on record. Nothing was changed.');
    const collaborative = await deps.collaborativeForTurn(turn);
    if (!collaborative) return refusal('No collaborative here', 'This conversation has no collaborative set up, so there is no one to declare for. Nothing was changed.');
    if ((await deps.collaborativeForAgenda(agenda))?.id !== collaborative.id) return otherCollaborative();
    const decided = decide(agenda, collaborative);
    if (!decided.ok) return { kind: 'card', card: agendaCard(agenda, collaborative, { text: interestRefusalText(decided.error), tone: 'warning' }), refused: decided.error.kind };
    const declaration = decided.value;
    const stored = await store.recordAgendaDeclaration(agenda.id, declaration);
    if (!stored) return refusal('Agenda not found', 'That agenda is no longer on record. Nothing was changed.');
    await store.appendAudit({ action, by: turn.person, subject: agenda.id, at: turn.now.toISOString(), detail: {
      itemRef: declaration.itemRef, declarationId: declaration.id, organisationId: declaration.organisationId, declaredBy: declaration.declaredBy,
      description: declaration.description, handling: declaration.handling?.kind,
    } });
    const [forPoll] = declarationsForItem({ ...stored, declarations: [declaration] }, declaration.itemRef);
    for (const poll of await store.listPolls({ status: 'open' })) {
      if (forPoll && poll.agenda?.agendaId === agenda.id && poll.agenda.itemRef === declaration.itemRef) await store.recordDeclaration(poll.id, forPoll);
    }
    const text = action === 'interest.declared'
      ? `Your declaration on ${declaration.itemRef} is on the record. The chair will record whether you may take part.`
      : `Recorded on ${declaration.itemRef}: ${declarationText(declaration, (id) => memberName(collaborative, id))}.`;
    // Everyone's copy shows the declaration; the line saying what happened is for the presser only
    // (their card, or a short reply on the Action.Submit path).
    const activityId = stored.activityId ?? turn.cardActivityId;
    if (activityId) {
      await updateCard(turn.context, activityId, agendaCard(stored, collaborative))
        .catch((error: unknown) => deps.logger.warn({ err: error, agendaId: stored.id, activityId }, 'shared agenda card update failed'));
    }
    return { kind: 'card', card: agendaCard(stored, collaborative, { text, tone: 'good' }), confirmation: text };
  };

  return { commandAgenda, verbs, agendaCard };
}
