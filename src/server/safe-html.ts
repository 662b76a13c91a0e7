// Leaked HTML is the attacker's: it may carry scripts, event handlers,
// tracking pixels and CSS that calls home. It is shown only after
// sanitize-html keeps a short list of harmless tags and styles, with every
// URL that could load something removed, and then inside a sandboxed iframe
// whose CSP forbids scripts and every remote load (defence in depth: either
// layer alone blocks the request).
import sanitizeHtml from 'sanitize-html';

/** Sent as a header with the sanitised document; `sandbox` applies even if the URL is opened directly. */
export const EMAIL_HTML_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox";

// A style value that cannot load anything: no url(), image-set(), @import or expressions.
const SAFE_VALUE = /^(?!.*(url|image|expression|import|\\|@|attr)\s*\(?)[#%,.\w\s()'"+-]*$/i;

const STYLES = Object.fromEntries(
  ['color', 'background-color', 'font-weight', 'font-style', 'font-size', 'font-family', 'text-align', 'text-decoration',
    'margin', 'padding', 'border', 'width', 'vertical-align', 'white-space', 'line-height'].map((p) => [p, [SAFE_VALUE]]),
);

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'a', 'b', 'blockquote', 'br', 'caption', 'center', 'code', 'col', 'colgroup', 'dd', 'del', 'div', 'dl', 'dt', 'em', 'font', 'h1', 'h2',
    'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'li', 'ol', 'p', 'pre', 's', 'small', 'span', 'strike', 'strong', 'sub', 'sup',
    'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'tt', 'u', 'ul',
  ],
  allowedAttributes: {
    '*': ['style', 'align', 'valign', 'title', 'dir', 'lang'],
    a: ['title'],
    img: ['src', 'alt', 'width', 'height'],
    td: ['colspan', 'rowspan', 'width'], th: ['colspan', 'rowspan', 'width'], font: ['color', 'size'], table: ['width', 'cellpadding', 'cellspacing', 'border'],
  },
  // Only images carried inside the message itself (data:) — never a remote one, so no tracking pixel fires.
  allowedSchemes: [],
  allowedSchemesByTag: { img: ['data'] },
  allowProtocolRelative: false,
  allowedStyles: { '*': STYLES },
  disallowedTagsMode: 'discard',
  nonTextTags: ['style', 'script', 'textarea', 'option', 'noscript', 'title', 'head', 'template', 'svg', 'math', 'object', 'iframe'],
  transformTags: {
    // A link is shown, not followed: its target becomes a tooltip, so a click sends nothing anywhere.
    a: (_tag, attribs) => ({ tagName: 'a', attribs: attribs.href ? { title: attribs.href.slice(0, 500) } : ({} as Record<string, string>) }),
    img: (_tag, attribs) => {
      const src = attribs.src ?? '';
      if (/^data:image\/(png|gif|jpeg|webp);/i.test(src)) return { tagName: 'img', attribs };
      return { tagName: 'span', attribs: { title: src.slice(0, 500) }, text: `[image not loaded${attribs.alt ? `: ${attribs.alt.slice(0, 100)}` : ''}]` };
    },
  },
};

export function sanitizeEmailHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}

/** A complete document for the iframe: its own CSP as a meta tag too, and plain styling. */
export function emailHtmlDocument(html: string): string {
  return `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<style>body{font:14px/1.45 system-ui,sans-serif;color:#1d1d1f;margin:12px;word-wrap:break-word}a{color:#0b57d0;text-decoration:underline dotted}</style>
</head><body>${sanitizeEmailHtml(html)}</body></html>`;
}
