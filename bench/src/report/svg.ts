import type { RouteId, Variant } from '../results-schema.js';
import { ROUTE_IDS, VARIANTS } from '../results-schema.js';
import type { BenchSummary } from '../stats.js';
import { fixed, percent, samplingLabel, VARIANT_LABELS } from './format.js';

const COLORS: Record<Variant, string> = { uninstrumented: '#7f7f7f', upstream: '#d62728', otelkit: '#1f77b4' };
const WIDTH = 760;
const LABEL_WIDTH = 230;
const BAR_MAX = 330;
const BAR_HEIGHT = 18;
const BAR_GAP = 6;
const TITLE_HEIGHT = 26;
const GROUP_GAP = 14;
const HEADER = 40;

/** Text content and attribute values, XML-escaped. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

interface Group {
  title: string;
  bars: Array<{ variant: Variant; value: number; ratio: number }>;
}

function groups(summary: BenchSummary, paths: Record<RouteId, string>): Group[] {
  const out: Group[] = [];
  for (const [sampling, variants] of summary.load) {
    for (const route of ROUTE_IDS) {
      out.push({
        title: `${samplingLabel(sampling)} sampling, ${route} route (GET ${paths[route]})`,
        bars: VARIANTS.map((variant) => ({
          variant,
          value: variants[variant].routes[route].throughput,
          ratio: variants[variant].routes[route].throughputRatio,
        })),
      });
    }
  }
  return out;
}

/**
 * Horizontal bar chart of median throughput per variant, one panel per sampling ratio and route, each on its own
 * scale (the routes differ by an order of magnitude), with the share of uninstrumented throughput on every bar.
 * Plain SVG 1.1 text, deterministic for a given summary.
 */
export function renderThroughputSvg(summary: BenchSummary, paths: Record<RouteId, string>): string {
  const panels = groups(summary, paths);
  const groupHeight = TITLE_HEIGHT + VARIANTS.length * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP;
  const height = HEADER + panels.length * groupHeight;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="24" font-size="15" font-weight="bold">Throughput of the demo API (median req/s; share of uninstrumented)</text>`,
  ];
  panels.forEach((panel, index) => {
    const top = HEADER + index * groupHeight;
    const max = Math.max(...panel.bars.map((b) => b.value), 1);
    parts.push(`<text x="10" y="${top + 16}" font-weight="bold">${escapeXml(panel.title)}</text>`);
    panel.bars.forEach((bar, i) => {
      const y = top + TITLE_HEIGHT + i * (BAR_HEIGHT + BAR_GAP);
      const width = Math.max(1, Math.round((bar.value / max) * BAR_MAX));
      const label = bar.variant === 'uninstrumented' ? fixed(bar.value) : `${fixed(bar.value)} (${percent(bar.ratio)})`;
      parts.push(
        `<text x="${LABEL_WIDTH - 8}" y="${y + 13}" text-anchor="end">${escapeXml(VARIANT_LABELS[bar.variant])}</text>`,
        `<rect x="${LABEL_WIDTH}" y="${y}" width="${width}" height="${BAR_HEIGHT}" fill="${COLORS[bar.variant]}"/>`,
        `<text x="${LABEL_WIDTH + width + 6}" y="${y + 13}">${escapeXml(label)}</text>`,
      );
    });
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
