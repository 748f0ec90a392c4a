import { cn } from "@/components/ui/cn";

export type RequestsPerDay = { day: string; allowed: number; denied: number };

const W = 720;
const H = 180;
const PAD = { top: 12, right: 8, bottom: 24, left: 40 };
const PLOT_W = W - PAD.left - PAD.right;
const PLOT_H = H - PAD.top - PAD.bottom;

/** The smallest 1, 2, 2.5 or 5 × 10^n at or above `n` (at least 4), so the axis reads in round numbers. */
export function niceMax(n: number): number {
  if (n <= 4) return 4;
  const pow = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 2.5, 5, 10].map((m) => m * pow).find((v) => v >= n) ?? 10 * pow;
}

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
const full = new Intl.NumberFormat("en");
const label = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString("en", { month: "short", day: "numeric", timeZone: "UTC" });

/**
 * Requests per day, allowed (stacked below) and denied, as a plain SVG rendered on the server:
 * no chart library and no client JavaScript for 30 rectangles. Each bar carries a <title>
 * (the browser's tooltip) and the totals are in the accessible description.
 */
export function RequestsChart({ days, className }: { days: RequestsPerDay[]; className?: string }) {
  const totals = days.reduce((t, d) => ({ allowed: t.allowed + d.allowed, denied: t.denied + d.denied }), { allowed: 0, denied: 0 });
  const max = niceMax(Math.max(0, ...days.map((d) => d.allowed + d.denied)));
  const slot = PLOT_W / Math.max(days.length, 1);
  const barW = Math.max(2, slot * 0.7);
  const y = (v: number) => PAD.top + PLOT_H - (v / max) * PLOT_H;
  const range = days.length ? `${label(days[0].day)} to ${label(days[days.length - 1].day)}` : "";
  return (
    <figure className={cn("space-y-2", className)}>
      <figcaption className="flex flex-wrap items-center gap-x-4 gap-y-1 text-[13px] text-gray-600">
        <span className="font-medium text-gray-900">Requests per day, last {days.length} days (UTC)</span>
        <span className="inline-flex items-center gap-1.5"><span aria-hidden="true" className="size-2.5 rounded-sm bg-emerald-500" />Allowed {full.format(totals.allowed)}</span>
        <span className="inline-flex items-center gap-1.5"><span aria-hidden="true" className="size-2.5 rounded-sm bg-red-500" />Denied {full.format(totals.denied)}</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-labelledby="requests-chart-title requests-chart-desc">
        <title id="requests-chart-title">Requests per day</title>
        <desc id="requests-chart-desc">
          {`${range}: ${full.format(totals.allowed)} allowed and ${full.format(totals.denied)} denied requests.`}
        </desc>
        {[0, max / 2, max].map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} className="stroke-gray-200" strokeWidth={1} />
            {Number.isInteger(v) && (
              <text x={PAD.left - 6} y={y(v)} dy="0.32em" textAnchor="end" className="fill-gray-500 text-[11px]">{compact.format(v)}</text>
            )}
          </g>
        ))}
        {days.map((d, i) => {
          const x = PAD.left + i * slot + (slot - barW) / 2;
          const allowedTop = y(d.allowed);
          const deniedTop = y(d.allowed + d.denied);
          return (
            <g key={d.day}>
              <title>{`${label(d.day)}: ${full.format(d.allowed)} allowed, ${full.format(d.denied)} denied`}</title>
              {/* A transparent full-height target so the tooltip works on empty days too. */}
              <rect x={PAD.left + i * slot} y={PAD.top} width={slot} height={PLOT_H} fill="transparent" />
              {d.allowed > 0 && <rect x={x} y={allowedTop} width={barW} height={PAD.top + PLOT_H - allowedTop} className="fill-emerald-500" />}
              {d.denied > 0 && <rect x={x} y={deniedTop} width={barW} height={allowedTop - deniedTop} className="fill-red-500" />}
              {((i % 7 === 0 && days.length - 1 - i >= 4) || i === days.length - 1) && (
                <text x={x + barW / 2} y={H - 6} textAnchor="middle" className="fill-gray-500 text-[11px]">{label(d.day)}</text>
              )}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
