/**
 * Microsoft 365 Agents Playground (0.2.x) as a person uses it, for the browser journeys.
 *
 * What its page is made of (learnt by driving it; none of it is a documented contract):
 * - The compose box is a Lexical plain-text editor, `[data-lexical-editor="true"]`; Enter sends,
 *   the Send button does the same, and the box empties once the message is sent.
 * - Multi-line text: the Playground builds the message text from the editor's text nodes only, so
 *   Shift+Enter line breaks and pasted line breaks (both become <br> nodes) are dropped:
 *   "agenda⏎Meeting: X" arrives as "agendaMeeting: X". Playwright's `fill` inserts the text as one
 *   input event, which keeps the newlines inside one text node, and those do reach the bot.
 * - Every bot message with an Adaptive Card is a `.fai-OutputCard` frame holding
 *   `.ac-preview-panel > .ac-adaptiveCard`, rendered by the adaptivecards library with Fluent UI
 *   inputs: actions are <button>s named by their title, Input.Text/Number are <input>/<textarea>
 *   labelled by the card's label, a compact Input.ChoiceSet is a Fluent combobox whose options
 *   open in a listbox outside the card. After Action.Execute the frame shows "Your response was
 *   sent to the app" until dismissed, and the card is replaced in place by the invoke response
 *   (and again by any updateActivity from the bot).
 * - Known Playground fault: when a card with comboboxes is replaced in place by another card
 *   with a combobox, the new combobox can open the *old* card's option list (seen: the poll
 *   card's "Voting for" offering the poll form's "Category" options). The next in-place update
 *   renders it correctly. `chooseOption` fails with the options actually offered when it happens.
 * - The Log Panel lists every activity each way; choosing one shows its JSON under "Request".
 * - There is one signed-in user (Alex Wilber, from the Playground's default configuration file)
 *   and no user switcher. "Mock an Activity → Custom activity" sends any JSON activity, so an
 *   activity from another of its mock users (Megan Bowen, …) can be sent by hand.
 */
import { randomUUID } from 'node:crypto';
import type { BrowserContext, Locator, Page } from 'playwright-core';

const EDITOR = '[data-lexical-editor="true"]';
const CARD = '.ac-preview-panel > .ac-adaptiveCard';
const FRAME = '.fai-OutputCard';
const SEEN = 'data-e2e-seen';

export interface MockUser {
  readonly id: string;
  readonly name: string;
  readonly aadObjectId: string;
}

/** Users in the Playground's default configuration file (and in data/collaborative.json). */
export const MOCK_USERS = {
  alex: { id: 'user-id-0', name: 'Alex Wilber', aadObjectId: '00000000-0000-0000-0000-0000000000020' },
  megan: { id: 'user-id-1', name: 'Megan Bowen', aadObjectId: '00000000-0000-0000-0000-0000000000021' },
} as const satisfies Record<string, MockUser>;

export type Activity = Record<string, unknown>;

export class Playground {
  private constructor(readonly page: Page) {}

  /** Opens the Playground and waits for Concord's welcome card: the conversation has started. */
  static async open(context: BrowserContext, url: string): Promise<Playground> {
    const page = await context.newPage();
    // Deadlines, not waits: the Playground's page is a 15 MB script bundle, and on two busy cores
    // (a CPU hog beside the journeys) loading it has taken over Playwright's default 30 s.
    await page.goto(url, { timeout: 90_000 });
    const playground = new Playground(page);
    await page.locator(EDITOR).waitFor({ timeout: 60_000 });
    // The Playground installs the app (installationUpdate) and adds it to the chat
    // (conversationUpdate); the bot's replies to both are posted before each is answered.
    await playground.logLines().filter({ hasText: 'installationUpdate 200' }).first().waitFor({ timeout: 30_000 });
    await playground.logLines().filter({ hasText: 'conversationUpdate 200' }).first().waitFor({ timeout: 30_000 });
    await playground.cards().filter({ hasText: /Hello, I.m Concord/ }).first().waitFor();
    return playground;
  }

  /** Every Adaptive Card in the conversation, oldest first. */
  cards(): Locator {
    return this.page.locator(CARD);
  }

  /** The newest card containing the text. */
  card(text: string | RegExp): Locator {
    return this.cards().filter({ hasText: text }).last();
  }

  /** The message frame around a card (the card with its border, and any "sent to the app" note). */
  frameOf(card: Locator): Locator {
    return card.locator(`xpath=ancestor::div[contains(concat(' ', normalize-space(@class), ' '), ' ${FRAME.slice(1)} ')][1]`);
  }

  /** Marks the cards on the page now, so `newCard` finds only replies that come after. */
  async markCards(): Promise<void> {
    await this.page.locator(CARD).evaluateAll((cards, seen) => cards.forEach((card) => card.setAttribute(seen, '')), SEEN);
  }

  /**
   * Waits for a card, posted after the last `markCards`, that contains the text, and returns the
   * newest card with that text (a locator that still finds it after a later `markCards`).
   */
  async newCard(text: string | RegExp, timeout = 20_000): Promise<Locator> {
    await this.page.locator(`${CARD}:not([${SEEN}])`).filter({ hasText: text }).last().waitFor({ timeout });
    return this.card(text);
  }

  /** Types a message (newlines kept, as Teams keeps a pasted block) and sends it with Enter. */
  async send(text: string): Promise<void> {
    await this.markCards();
    const editor = this.page.locator(EDITOR);
    await editor.fill(text);
    await editor.press('Enter');
    // The Playground empties the box once the message is on its way.
    await this.page.waitForFunction((selector) => (document.querySelector(selector)?.textContent ?? '') === '', EDITOR);
  }

  /** Sends a message and waits for the bot's card that contains the text. */
  async ask(text: string, expectInReply: string | RegExp): Promise<Locator> {
    await this.send(text);
    return this.newCard(expectInReply);
  }

  /** Presses the card's button with exactly this title. */
  async press(card: Locator, title: string): Promise<void> {
    await this.markCards();
    await card.getByRole('button', { name: title, exact: true }).click();
  }

  /** Chooses an option of a compact Input.ChoiceSet, found by its label, and checks it took. */
  async chooseOption(card: Locator, label: string | RegExp, option: string): Promise<void> {
    const combobox = card.getByRole('combobox', { name: label });
    await combobox.click();
    const choice = this.page.getByRole('option', { name: option, exact: true });
    try {
      await choice.waitFor({ timeout: 5000 });
    } catch {
      const offered = await this.page.getByRole('option').allInnerTexts();
      await this.page.keyboard.press('Escape');
      throw new Error(`"${String(label)}" did not offer "${option}"; the Playground showed: ${JSON.stringify(offered)}`);
    }
    await choice.click();
    await this.page.waitForFunction(
      ([element, expected]) => (element as HTMLInputElement).value === expected,
      [await combobox.elementHandle(), option] as const,
    );
  }

  /**
   * Chooses `option` under `label` and presses the button `title`, with the choice checked at the
   * instant of the press. A shared refresh of the card (Concord's coalesced updateActivity after
   * an earlier vote) re-renders it with the choice back at its default; if one lands between the
   * choice and the press, the press would send the default. So the check and the click happen in
   * one step in the page, where no re-render can come between them, and the choice is made again
   * until it holds when pressed.
   */
  async chooseAndPress(card: Locator, label: string | RegExp, option: string, title: string, timeout = 15_000): Promise<void> {
    const deadline = Date.now() + timeout;
    for (;;) {
      await this.chooseOption(card, label, option);
      const combobox = await card.getByRole('combobox', { name: label }).elementHandle();
      const button = await card.getByRole('button', { name: title, exact: true }).elementHandle();
      await this.markCards();
      const pressed = await this.page.evaluate(([combobox, button, option]) => {
        if (!combobox?.isConnected || !button?.isConnected || (combobox as HTMLInputElement).value !== option) return false;
        (button as HTMLElement).click();
        return true;
      }, [combobox, button, option] as const);
      if (pressed) return;
      if (Date.now() > deadline) throw new Error(`"${String(label)}" would not hold "${option}" until "${title}" was pressed`);
    }
  }

  /** Types into a card's text or number input, found by its label. */
  async fillInput(card: Locator, label: string | RegExp, value: string): Promise<void> {
    await card.getByLabel(label).fill(value);
  }

  /** Closes the "Your response was sent to the app" notes (for clean screenshots). */
  async dismissNotes(): Promise<void> {
    const dismiss = this.page.getByRole('button', { name: 'Dismiss Invoke Message' });
    while (await dismiss.count() > 0) await dismiss.first().click();
    await this.page.mouse.move(0, 0);
  }

  /**
   * Records, from now on, every card text block that matches: catches notes that are on screen
   * only briefly because a later update replaces the card. Returns a reader of what was seen.
   */
  async recordCardTexts(pattern: RegExp): Promise<() => Promise<string[]>> {
    const key = `__e2eSeen${randomUUID().replace(/-/g, '')}`;
    await this.page.evaluate(([key, source, flags]) => {
      const seen: string[] = [];
      const regex = new RegExp(source, flags);
      const scan = () => {
        for (const block of document.querySelectorAll('.ac-adaptiveCard .ac-textBlock')) {
          const text = (block.textContent ?? '').trim();
          if (regex.test(text) && !seen.includes(text)) seen.push(text);
        }
      };
      scan();
      new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, characterData: true });
      (window as unknown as Record<string, string[]>)[key] = seen;
    }, [key, pattern.source, pattern.flags.replace('g', '')] as const);
    return () => this.page.evaluate((key) => [...((window as unknown as Record<string, string[]>)[key] ?? [])], key);
  }

  /** The Log Panel's lines, e.g. "[4:49:13 PM] User Application -> Microsoft 365 Agents Playground message 200". */
  logLines(): Locator {
    return this.page.locator('[contenteditable="true"][spellcheck="false"]').filter({ hasText: 'Current version' }).first().locator(':scope > div');
  }

  /**
   * Waits until the bot has sent the Playground something (a message or a card update) after
   * the newest invoke in the Log Panel, i.e. after the last card button press was answered.
   */
  async waitForBotActivityAfterLastInvoke(timeout = 15_000): Promise<void> {
    const lines = this.logLines();
    await lines.first().waitFor();
    await this.page.waitForFunction((list) => {
      const texts = [...(list as Element).children].map((line) => line.textContent ?? '');
      const invoke = texts.findLastIndex((text) => /Microsoft 365 Agents Playground\s*->\s*User Application\s*invoke\b/.test(text));
      return invoke >= 0 && texts.slice(invoke + 1).some((text) => /User Application\s*->\s*Microsoft 365 Agents Playground/.test(text));
    }, await lines.first().evaluateHandle((line) => line.parentElement), { timeout });
  }

  /** Opens the newest Log Panel entry of this kind ("invoke 200", "message 200") and returns its request JSON. */
  async loggedRequest(entry: string | RegExp): Promise<Activity> {
    await this.page.getByText(entry).last().click();
    const request = this.page.locator('[contenteditable="true"][spellcheck="false"]').filter({ hasText: /^\s*\{/ }).last();
    return JSON.parse(await request.innerText()) as Activity;
  }

  /**
   * Mock an Activity → Custom activity: replaces the dialog's JSON with this activity and sends
   * it, as the Playground's own user would, to act as someone else in the conversation.
   */
  async sendCustomActivity(activity: Activity): Promise<void> {
    await this.markCards();
    await this.page.getByRole('button', { name: 'Mock an Activity' }).click();
    await this.page.getByRole('menuitem', { name: 'Custom activity' }).click();
    const dialog = this.page.getByRole('dialog').filter({ hasText: 'Custom activity' });
    const editor = dialog.locator('.monaco-editor .view-lines');
    await editor.waitFor();
    await editor.click();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.press('Delete');
    // One line, inserted at once: no auto-indent or bracket auto-closing from the editor.
    await this.page.keyboard.insertText(JSON.stringify(activity));
    await dialog.getByRole('button', { name: 'Send activity' }).click();
    await dialog.waitFor({ state: 'hidden' });
  }

  /**
   * The invoke a card button sent, re-sent as another user: what that person's press would send.
   * `from` is replaced, the action's data is changed as given, everything else (conversation,
   * the card's activity id) is kept.
   */
  static asUser(invoke: Activity, user: MockUser, changeData: (data: Record<string, unknown>) => Record<string, unknown>): Activity {
    const value = invoke.value as { action: { data: Record<string, unknown> } & Record<string, unknown> };
    const now = new Date().toISOString();
    const { localTimestamp: _ignored, ...rest } = invoke;
    return {
      ...rest,
      id: randomUUID(),
      timestamp: now,
      from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
      value: { ...value, action: { ...value.action, data: changeData(value.action.data) } },
    };
  }
}
