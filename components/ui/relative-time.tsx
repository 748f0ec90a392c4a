import { cn } from "./cn";

type RelativeTimeProps = {
  date: Date | string | number | null | undefined;
  /** Reference time (defaults to the current time); pass it for deterministic server rendering. */
  now?: Date | number;
  /** Shown when `date` is missing, e.g. "Never". */
  fallback?: string;
  className?: string;
};

// [unit, seconds per unit, use this unit while |diff| is below this many seconds]
const UNITS: [Intl.RelativeTimeFormatUnit, number, number][] = [
  ["minute", 60, 45 * 60],
  ["hour", 3600, 22 * 3600],
  ["day", 86400, 26 * 86400],
  ["month", 30 * 86400, 320 * 86400],
  ["year", 365 * 86400, Infinity],
];

const rtf = new Intl.RelativeTimeFormat("en", { numeric: "always" });
const absolute = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** "in 12 days", "3 hours ago", "just now". */
export function formatRelative(date: Date, now: Date | number = Date.now()): string {
  const diff = Math.round((date.getTime() - Number(now)) / 1000);
  if (Math.abs(diff) < 45) return "just now";
  const [unit, secs] = UNITS.find(([, , below]) => Math.abs(diff) < below) ?? UNITS[UNITS.length - 1];
  return rtf.format(Math.round(diff / secs) || Math.sign(diff), unit);
}

/** Absolute UTC time, e.g. "Mar 4, 2026, 2:05 PM UTC" (timezone-stable between server and browser). */
export const formatAbsolute = (date: Date) => `${absolute.format(date)} UTC`;

/** A <time> showing a relative date, with the absolute UTC date as its tooltip. */
export function RelativeTime({ date, now, fallback = "—", className }: RelativeTimeProps) {
  const d = date == null ? null : new Date(date);
  if (!d || Number.isNaN(d.getTime())) return <span className={cn("text-gray-400", className)}>{fallback}</span>;
  return (
    <time dateTime={d.toISOString()} title={formatAbsolute(d)} className={className} suppressHydrationWarning>
      {formatRelative(d, now)}
    </time>
  );
}
