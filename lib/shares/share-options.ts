/** Limits and choices of the share form: plain values, safe to import from client components. */
export const SHARE_MESSAGE_MAX = 1000;
export const SHARE_TTL_MAX_HOURS = 24 * 30;

/** Offered by the share form; the core and the API accept any whole hour in 1..720. */
export const SHARE_TTL_OPTIONS: readonly { hours: number; label: string }[] = [
  { hours: 1, label: "1 hour" },
  { hours: 24, label: "24 hours" },
  { hours: 72, label: "3 days" },
  { hours: 168, label: "7 days" },
  { hours: 720, label: "30 days" },
];

/** The form's choices, with the configured default added when it is not one of them. */
export function shareTtlOptions(defaultHours: number) {
  if (SHARE_TTL_OPTIONS.some((o) => o.hours === defaultHours)) return [...SHARE_TTL_OPTIONS];
  const label = defaultHours % 24 === 0 ? `${defaultHours / 24} days` : `${defaultHours} hours`;
  return [...SHARE_TTL_OPTIONS, { hours: defaultHours, label }].sort((a, b) => a.hours - b.hours);
}
