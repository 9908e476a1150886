// What a command prints of a store's data: event text and ids are untrusted.

/** A control character (an escape sequence, a tab) shown as its \u escape, never sent to the terminal. */
export const printable = (text: string) => text.replace(/\p{Cc}/gu, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
