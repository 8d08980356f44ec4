// Text and attributes for the JUnit writers: XML 1.0 cannot carry most control characters, even
// escaped, so they become U+FFFD; the five specials are escaped.
export const xmlText = (text: string): string => text
  .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
  .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const xmlAttributes = (pairs: Record<string, string | number>): string => Object.entries(pairs).map(([k, v]) => ` ${k}="${xmlText(String(v))}"`).join('');
