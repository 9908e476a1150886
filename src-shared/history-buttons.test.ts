import { describe, expect, it } from 'vitest';
import { mainStepsOnHistoryButtons, pageStepsOnHistoryButtons } from './history-buttons.ts';

describe('who steps history on the mouse back / forward buttons', () => {
  it('main, in the desktop app on Windows and Linux, where Electron sends the app command; the page does not', () => {
    for (const platform of ['win32', 'linux']) {
      expect(mainStepsOnHistoryButtons(platform), platform).toBe(true);
      expect(pageStepsOnHistoryButtons('desktop', platform), platform).toBe(false);
    }
  });

  it('the page, in browser mode anywhere and in the desktop app on macOS', () => {
    expect(mainStepsOnHistoryButtons('darwin')).toBe(false);
    expect(pageStepsOnHistoryButtons('desktop', 'darwin')).toBe(true);
    expect(pageStepsOnHistoryButtons('browser', null)).toBe(true);
  });

  it('nobody in the page before the desktop app says its platform: a press never steps twice', () => {
    expect(pageStepsOnHistoryButtons('desktop', null)).toBe(false);
  });
});
