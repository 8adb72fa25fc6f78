// Word wrapping of terminal text: colour codes take no columns and are never split, continuation
// lines hang under the text, and without a terminal nothing changes.
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { wrapForTerminal, wrapLine, wrapPromptMessage, wrapWithHang } from '../../src/text/wrap.js';
import { makeStyle } from '../../src/text/style.js';

const style = makeStyle(true);

describe('wrapLine', () => {
  it('breaks at spaces, and continuation lines hang under the text after a status word', () => {
    const line = '  warn  /etc/resolv.conf names only the stub 127.0.0.53, which pods cannot reach';
    const out = wrapLine(line, 40);
    expect(out).toEqual(['  warn  /etc/resolv.conf names only the', '        stub 127.0.0.53, which pods', '        cannot reach']);
    expect(out.join(' ').replace(/\s+/g, ' ').trim()).toBe(line.replace(/\s+/g, ' ').trim());
  });

  it('does not count colour codes as columns and never cuts one in half', () => {
    const line = `  ${style.yellow('warn')}  the operating system already uses 150 MB before Kubernetes`;
    expect(wrapLine(line, 80)).toEqual([line]); // 62 visible columns: fits, whatever the codes add
    const out = wrapLine(line, 30);
    for (const l of out) expect(stripVTControlCharacters(l).length).toBeLessThanOrEqual(30);
    expect(out.map((l) => stripVTControlCharacters(l))).toEqual(['  warn  the operating system', '        already uses 150 MB', '        before Kubernetes']);
    // Every escape sequence survives whole.
    expect(out.join('')).toContain(style.yellow('warn'));
  });

  it('keeps the colour codes of a space it drops at a break', () => {
    const line = `aaaa${style.green(' bbbb')}`;
    const out = wrapWithHang(line, 5, '');
    expect(out.map((l) => stripVTControlCharacters(l))).toEqual(['aaaa', 'bbbb']);
    expect(out.join('\n')).toBe(`aaaa\n${style.green('bbbb')}`);
  });

  it('cuts a word longer than the line where it must', () => {
    expect(wrapWithHang('x'.repeat(25), 10, '')).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });
});

describe('wrapForTerminal', () => {
  const text = 'note: w1: no /var/lib/hobbykube/traefik/acme.json yet (Traefik has not been issued a certificate); nothing to save.\n';

  it('leaves text whole when there is no terminal (scripts and logs get one line per line)', () => {
    expect(wrapForTerminal(text, undefined)).toBe(text);
  });

  it('wraps each line to the terminal and keeps the line ends', () => {
    const out = wrapForTerminal(text, 60);
    expect(out.endsWith('\n')).toBe(true);
    const lines = out.slice(0, -1).split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(60);
    expect(lines.join(' ')).toBe(text.trimEnd());
  });
});

describe('wrapPromptMessage', () => {
  const question = 'cp1 (127.0.0.2) is new to this cluster: its ssh-ed25519 host key is SHA256:qy0cyUeQZX6tup067YM88DhhO+/5k40Ue7ajMtgQUEM.\n  Does that match the node? Pin it and connect';

  it('leaves room for the prompt\'s "? " and moves a fingerprint whole to the next line', () => {
    const lines = wrapPromptMessage(question, 80).split('\n');
    expect(lines[0]).toBe('cp1 (127.0.0.2) is new to this cluster: its ssh-ed25519 host key is');
    expect(lines[1]).toBe('SHA256:qy0cyUeQZX6tup067YM88DhhO+/5k40Ue7ajMtgQUEM.');
    expect(lines[2]).toBe('  Does that match the node? Pin it and connect');
    expect(`? ${lines[0]}`.length).toBeLessThanOrEqual(80);
  });

  it('is the question itself without a terminal', () => {
    expect(wrapPromptMessage(question, undefined)).toBe(question);
  });
});
