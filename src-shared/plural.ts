// "1 thread", "2 threads": one rule for the page and the CLI, which format the number each their own way.
export const plural = (n: number, noun: string, nouns = `${noun}s`, format: (n: number) => string = String): string =>
  `${format(n)} ${n === 1 ? noun : nouns}`;
