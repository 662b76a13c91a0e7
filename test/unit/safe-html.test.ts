// The sanitiser alone (the iframe's CSP is the second layer, tested in the browser).
import { describe, expect, it } from 'vitest';
import { sanitizeEmailHtml } from '../../src/server/safe-html.ts';
import { HOSTILE_HTML, REMOTE_HOST } from '../fixtures/hostile-html-email.ts';

describe('sanitizeEmailHtml', () => {
  it('keeps the text and harmless formatting of a hostile email, and no address that could load anything', () => {
    const out = sanitizeEmailHtml(HOSTILE_HTML);
    expect(out).toContain('Bonjour, voici le virement confidentiel.');
    expect(out).toContain('<td>Montant : 48 000 euros</td>');
    expect(out).toContain('style="color:#222"');
    // The remote addresses survive only as tooltips (title="…"), never as src/href/url().
    const loading = [...out.matchAll(/(src|href|background|poster|data|action|srcset)\s*=\s*"([^"]*)"/gi)].map((m) => m[0]);
    expect(loading).toEqual([]);
    expect(out).not.toMatch(/url\(|@import|<script|<style|<link|<meta|<iframe|<object|<svg|<video|<form|<input|\son\w+=/i);
    expect(out.match(new RegExp(REMOTE_HOST, 'g'))!.length).toBe(out.match(/title="[^"]*tracker\.invalid[^"]*"/g)!.length);
  });

  it('keeps inline images carried as data: URLs only', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    expect(sanitizeEmailHtml(`<img src="${png}" alt="logo">`)).toBe(`<img src="${png}" alt="logo" />`);
    expect(sanitizeEmailHtml('<img src="data:text/html;base64,PHNjcmlwdD4=">')).not.toContain('data:text/html"');
    expect(sanitizeEmailHtml('<img src="cid:logo@x">')).toContain('[image not loaded]');
  });

  it('drops CSS that could call home, even escaped', () => {
    for (const style of ['background:url(http://x/a)', 'background:\\75rl(http://x/a)', 'list-style:image-set("http://x/a" 1x)', 'behavior:expression(alert(1))']) {
      expect(sanitizeEmailHtml(`<p style='${style}'>t</p>`), style).toBe('<p>t</p>');
    }
  });
});
