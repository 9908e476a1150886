import { describe, expect, it } from 'vitest';
import { browserSetupPlan, SCREENSHOT_FONTS } from './browser-setup.ts';

const dpkgWith = (...installed: string[]) => (name: string) => installed.includes(name);

describe('browserSetupPlan', () => {
  it('installs Chromium and the fonts as root on a machine with neither', () => {
    expect(browserSetupPlan({ hasChromium: false, canInstall: true, isInstalled: dpkgWith() })).toEqual({
      install: ['chromium', 'fonts-noto-cjk', 'fonts-noto-color-emoji'],
      missingFonts: [],
    });
  });

  it('installs the fonts where Chromium is there already, only those missing', () => {
    expect(browserSetupPlan({ hasChromium: true, canInstall: true, isInstalled: dpkgWith('chromium') }).install).toEqual(SCREENSHOT_FONTS);
    expect(browserSetupPlan({ hasChromium: true, canInstall: true, isInstalled: dpkgWith('chromium', 'fonts-noto-cjk') }).install).toEqual(['fonts-noto-color-emoji']);
    expect(browserSetupPlan({ hasChromium: false, canInstall: true, isInstalled: dpkgWith(...SCREENSHOT_FONTS) }).install).toEqual(['chromium']);
  });

  it('installs nothing when everything is there', () => {
    expect(browserSetupPlan({ hasChromium: true, canInstall: true, isInstalled: dpkgWith('chromium', ...SCREENSHOT_FONTS) })).toEqual({ install: [], missingFonts: [] });
  });

  it('names the missing fonts instead where it cannot install (not root, or no apt-get)', () => {
    expect(browserSetupPlan({ hasChromium: false, canInstall: false, isInstalled: dpkgWith('fonts-noto-cjk') })).toEqual({
      install: [],
      missingFonts: ['fonts-noto-color-emoji'],
    });
  });

  it('says nothing about fonts where there is no dpkg to ask', () => {
    for (const canInstall of [true, false]) {
      expect(browserSetupPlan({ hasChromium: true, canInstall, isInstalled: () => null })).toEqual({ install: [], missingFonts: [] });
    }
  });
});
