/**
 * Text commands. In channels and group chats Teams sends Concord only messages that @mention
 * it; the mention is stripped before this runs. Anything that is not a command is a guidance
 * question.
 */
export type Command =
  | { kind: 'help' }
  | { kind: 'agenda'; pasted: string }
  | { kind: 'poll'; proposal: string }
  | { kind: 'decisions'; words: string }
  | { kind: 'pending' }
  | { kind: 'members' }
  | { kind: 'setup' }
  | { kind: 'question'; text: string };

export function parseCommand(rawText: string): Command {
  const text = rawText.replace(/\u00a0/g, ' ').trim();
  const match = /^\/?(\w+)\b[ \t]*([\s\S]*)$/.exec(text);
  const word = match?.[1]?.toLowerCase();
  const rest = (match?.[2] ?? '').trim();
  switch (word) {
    case 'help':
    case '?':
      return rest === '' ? { kind: 'help' } : { kind: 'question', text };
    case 'agenda':
      return { kind: 'agenda', pasted: rest };
    case 'poll':
      return { kind: 'poll', proposal: rest };
    case 'pending':
      return rest === '' ? { kind: 'pending' } : { kind: 'question', text };
    case 'members':
    case 'membership':
      return rest === '' ? { kind: 'members' } : { kind: 'question', text };
    case 'setup':
      return rest === '' ? { kind: 'setup' } : { kind: 'question', text };
    case 'decisions':
    case 'register':
      return { kind: 'decisions', words: rest };
    default:
      return text === '' ? { kind: 'help' } : { kind: 'question', text };
  }
}
