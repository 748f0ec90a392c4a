/**
 * Joins class names and lets later layout utilities override earlier ones of the same kind
 * (`cn("w-full px-3", "w-32")` → "px-3 w-32"), so components can accept a `className` that
 * adjusts width, spacing or radius without fighting their defaults. Deliberately tiny: it
 * only knows the groups below; anything else is kept as-is.
 */
type ClassValue = string | false | null | undefined;

// [pattern, group]: a group of "$1" means "the first capture names the group".
const GROUPS: [RegExp, string][] = [
  [/^(min-w|max-w|min-h|max-h|w|h|size)-/, "$1"],
  [/^(p|px|py|pt|pr|pb|pl|ps|pe)-/, "$1"],
  [/^-?(m|mx|my|mt|mr|mb|ml|ms|me)-/, "$1"],
  [/^(gap|gap-x|gap-y)-/, "$1"],
  [/^(rounded(?:-[trbl]{1,2})?)(?:-(?:none|xs|sm|md|lg|xl|2xl|3xl|full|control|card))?$/, "$1"],
  [/^(block|inline-block|inline-flex|inline|flex|grid|hidden|table|contents)$/, "display"],
  [/^justify-/, "justify"],
  [/^items-/, "items"],
  [/^text-(xs|sm|base|lg|xl|\dxl)$/, "text-size"],
  [/^font-(normal|medium|semibold|bold)$/, "font-weight"],
];

function groupOf(cls: string): string | null {
  const cut = cls.lastIndexOf(":");
  const variant = cut >= 0 ? cls.slice(0, cut + 1) : "";
  const base = cls.slice(cut + 1).replace(/^!/, "");
  for (const [re, group] of GROUPS) {
    const m = base.match(re);
    if (m) return variant + (group === "$1" ? m[1] : group);
  }
  return null;
}

export function cn(...values: ClassValue[]): string {
  const classes = values.filter(Boolean).join(" ").split(/\s+/).filter(Boolean);
  const seen = new Map<string, number>();
  const out: (string | null)[] = [];
  for (const cls of classes) {
    const group = groupOf(cls);
    if (group) {
      const prev = seen.get(group);
      if (prev !== undefined) out[prev] = null;
      seen.set(group, out.length);
    }
    out.push(cls);
  }
  return out.filter(Boolean).join(" ");
}
