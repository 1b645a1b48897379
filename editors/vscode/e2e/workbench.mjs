// Every VS Code workbench selector and key chord the end-to-end test uses, in one place: they
// are VS Code internals, so an upgrade of code-server should need edits here only.

const SEL = {
  explorerRow: '.explorer-folders-view .monaco-list-row',
  languageStatus: '#status\\.editor\\.mode',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget input',
  quickInputRow: '.quick-input-widget .monaco-list-row',
  tokenInspect: '.token-inspect-widget',
  editor: '.editor-instance .monaco-editor',
  viewLines: '.editor-instance .monaco-editor .view-lines',
  viewLine: '.editor-instance .monaco-editor .view-line',
  squiggleError: '.editor-instance .squiggly-error',
  squiggleWarning: '.editor-instance .squiggly-warning',
  squiggleInfo: '.editor-instance .squiggly-info',
  markersRow: '.markers-panel .monaco-list-row',
  hover: '.monaco-hover:not(.hidden)',
  suggestRow: '.suggest-widget.visible .monaco-list-row',
  actionWidget: '.action-widget',
  actionRow: '.action-widget .monaco-list-row.action',
  toast: '.notification-toast',
  toastMessage: '.notification-toast .notification-list-item-message',
};

export class Workbench {
  constructor(page) {
    this.page = page;
  }

  /** Waits until the workbench shows the explorer of the opened folder. */
  async ready(timeout = 90_000) {
    await this.page.waitForSelector(SEL.explorerRow, { timeout });
  }

  /**
   * Opens a file by clicking its row in the explorer (Quick Open if the click did not take);
   * waits until its tab is the active one.
   */
  async openFile(name) {
    const active = () => this.page.waitForFunction(
      ([sel, title]) => document.querySelector('.tab.active')?.textContent?.includes(title) &&
        document.querySelector(sel) !== null,
      [SEL.viewLines, name],
      { timeout: 10_000 });
    await this.page.locator(SEL.explorerRow, { hasText: name }).first().click();
    try {
      await active();
    } catch {
      await this.page.keyboard.press('Control+P');
      await this.page.waitForSelector(SEL.quickInputBox, { state: 'visible' });
      await this.page.fill(SEL.quickInputBox, name);
      await this.page.locator(SEL.quickInputRow, { hasText: name }).first().waitFor({ state: 'visible' });
      await this.page.keyboard.press('Enter');
      await active();
    }
    await this.focusEditor();
  }

  async focusEditor() {
    await this.page.locator(SEL.viewLines).first().click({ position: { x: 5, y: 5 } });
  }

  async languageMode() {
    return (await this.page.locator(SEL.languageStatus).innerText()).trim();
  }

  /** Runs a command palette entry by its title. */
  async runCommand(title) {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('F1');
    await this.page.waitForSelector(SEL.quickInputBox, { state: 'visible', timeout: 10_000 });
    await this.page.fill(SEL.quickInputBox, `>${title}`);
    const row = this.page.locator(SEL.quickInputRow, { hasText: title }).first();
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    await this.page.keyboard.press('Enter');
    await this.page.waitForSelector(SEL.quickInput, { state: 'hidden' }).catch(() => {});
  }

  /** Puts the cursor at 1-based line:column (Go to Line). */
  async goTo(line, column) {
    await this.page.keyboard.press('Control+G');
    await this.page.waitForSelector(SEL.quickInputBox, { state: 'visible' });
    await this.page.fill(SEL.quickInputBox, `:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.waitForSelector(SEL.quickInput, { state: 'hidden' }).catch(() => {});
  }

  /** The scopes "Developer: Inspect Editor Tokens and Scopes" shows at line:column. */
  async tokenScopes(line, column) {
    await this.goTo(line, column);
    await this.runCommand('Developer: Inspect Editor Tokens and Scopes');
    const widget = this.page.locator(SEL.tokenInspect);
    await widget.waitFor({ state: 'visible', timeout: 10_000 });
    await this.page.waitForFunction((sel) => !(document.querySelector(sel)?.textContent ?? '').includes('Loading'),
      SEL.tokenInspect, { timeout: 10_000 });
    const text = await widget.innerText();
    await this.page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
    return text;
  }

  /** The editor's visible text (Monaco renders spaces as U+00A0). */
  async editorText() {
    const lines = await this.page.locator(SEL.viewLine).evaluateAll((els) =>
      els.map((e) => ({ top: parseFloat(e.style.top || '0'), text: e.textContent ?? '' })));
    return lines.sort((a, b) => a.top - b.top).map((l) => l.text.replace(/\u00a0/g, ' ')).join('\n');
  }

  async squiggles() {
    return {
      errors: await this.page.locator(SEL.squiggleError).count(),
      warnings: await this.page.locator(SEL.squiggleWarning).count(),
      infos: await this.page.locator(SEL.squiggleInfo).count(),
    };
  }

  /** Opens the Problems panel (Ctrl+Shift+M toggles it: only press when it is closed). */
  async openProblems() {
    if (!(await this.page.locator('.markers-panel').isVisible().catch(() => false))) {
      await this.page.keyboard.press('Control+Shift+M');
    }
    await this.page.waitForSelector('.markers-panel', { state: 'visible', timeout: 10_000 });
  }

  async problemRows() {
    return this.page.locator(SEL.markersRow).evaluateAll((els) =>
      els.map((e) => (e.textContent ?? '').replace(/\u00a0/g, ' ')));
  }

  /**
   * Hover at line:column through the keyboard (Show or Focus Hover); returns its text once it
   * matches `want` (a hover over a diagnostic shows the problem first, the server's part later).
   */
  async hoverAt(line, column, want) {
    await this.goTo(line, column);
    await this.runCommand('Show or Focus Hover');
    const hover = this.page.locator(SEL.hover).first();
    await hover.waitFor({ state: 'visible', timeout: 10_000 });
    await this.page.waitForFunction(([sel, source, flags]) => {
      const t = document.querySelector(sel)?.textContent ?? '';
      return new RegExp(source, flags).test(t) && !t.includes('Loading');
    }, [SEL.hover, want.source, want.flags], { timeout: 10_000 }).catch(() => {});
    return (await hover.innerText()).replace(/\u00a0/g, ' ');
  }

  /**
   * Types text at the cursor and asks for completion (Ctrl+Space); returns the labels shown
   * first, then those left after typing `filter` (the list renders only its visible rows).
   */
  async completionsAfter(text, filter) {
    await this.page.keyboard.type(text, { delay: 20 });
    await this.page.keyboard.press('Control+Space');
    const first = await this.suggestLabels();
    await this.page.keyboard.type(filter, { delay: 20 });
    const filtered = await this.suggestLabels();
    await this.page.keyboard.press('Escape');
    return { first, filtered };
  }

  async suggestLabels() {
    const rows = this.page.locator(SEL.suggestRow);
    await rows.first().waitFor({ state: 'visible', timeout: 15_000 });
    await this.page.waitForFunction((sel) => {
      const t = [...document.querySelectorAll(sel)].map((e) => e.textContent ?? '').join('');
      return !t.includes('Loading');
    }, SEL.suggestRow, { timeout: 10_000 });
    await this.page.waitForTimeout(300);
    return rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''));
  }

  /** Opens the quick-fix menu at the cursor (Ctrl+.) and returns the action titles. */
  async quickFixes() {
    await this.page.keyboard.press('Control+.');
    const widget = this.page.locator(SEL.actionWidget).first();
    await widget.waitFor({ state: 'visible', timeout: 10_000 });
    return this.page.locator(SEL.actionRow).evaluateAll((els) =>
      els.map((e) => (e.textContent ?? '').replace(/\u00a0/g, ' ').trim()));
  }

  async applyQuickFix(title) {
    await this.page.locator(SEL.actionRow, { hasText: title }).first().click();
    await this.page.locator(SEL.actionWidget).first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
  }

  /** The editor and the panel below it (what a screenshot of the extension at work needs). */
  async editorAndPanelBox() {
    const editor = await this.page.locator('.part.editor').boundingBox();
    const panel = await this.page.locator('.part.panel').boundingBox();
    const bottom = panel !== null ? panel.y + Math.min(panel.height, 160) : editor.y + editor.height;
    return { x: editor.x, y: editor.y, width: editor.width, height: bottom - editor.y };
  }

  async toasts() {
    return this.page.locator(SEL.toastMessage).evaluateAll((els) => els.map((e) => e.textContent ?? ''));
  }

  async clearToasts() {
    await this.runCommand('Notifications: Clear All Notifications').catch(() => {});
  }

  async clipboard() {
    return this.page.evaluate(() => navigator.clipboard.readText());
  }
}

/** Polls `fn` until it returns a truthy value or the time runs out (then returns the last value). */
export async function until(fn, timeout = 20_000, every = 250) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) {
        return last;
      }
    } catch (err) {
      last = undefined;
      if (Date.now() > end) {
        throw err;
      }
    }
    if (Date.now() > end) {
      return last;
    }
    await new Promise((r) => setTimeout(r, every));
  }
}
