/**
 * Text placed in a Teams message around `<at>` mentions is read as Markdown-ish HTML: angle
 * brackets would open a tag (or a fake mention), and * _ ` [ ] \ start formatting. Names and
 * titles come from files and forms people edit, so they are escaped before they go in.
 */
export const escapeMentionName = (text: string): string =>
  text.replace(/[<>]/g, (c) => (c === '<' ? '‹' : '›')).replace(/[\\`*_[\]~]/g, '\\$&').replace(/\s+/g, ' ').trim();
