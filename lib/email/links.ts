/** Link extraction for the outbox: lets tests and developers find the magic link quickly. */

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** Decodes the HTML entities React emits in attribute values (&amp;, &#x27;, ...). */
export function decodeHtmlEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (match, entity: string) => {
    if (entity[0] === "#") {
      const code = entity[1] === "x" || entity[1] === "X" ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
    }
    return NAMED_ENTITIES[entity.toLowerCase()] ?? match;
  });
}

const HREF_RE = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
const TEXT_URL_RE = /https?:\/\/[^\s<>"'`]+/gi;
const TRAILING_PUNCTUATION_RE = /[.,;:!?)\]}]+$/;

function isHttpUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

/**
 * http(s) links in document order: first the html `href`s (so the primary
 * call-to-action comes first), then any extra URLs found in the plain text.
 * Deduplicated.
 */
export function extractLinks(html: string, text = ""): string[] {
  const links: string[] = [];
  const seen = new Set<string>();
  const add = (raw: string) => {
    const link = raw.trim();
    if (!isHttpUrl(link) || seen.has(link)) return;
    seen.add(link);
    links.push(link);
  };
  for (const match of html.matchAll(HREF_RE)) add(decodeHtmlEntities(match[1] ?? match[2] ?? ""));
  for (const match of text.matchAll(TEXT_URL_RE)) add(match[0].replace(TRAILING_PUNCTUATION_RE, ""));
  return links;
}
