import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type Plugin,
} from 'chart.js';
import { formatDay } from './dom';
import { token } from './theme';
import type { CoverageRow, Trend } from './types';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);

/**
 * The two charts. Every number drawn is also in a table next to the chart (the accessible
 * version), and each canvas carries the exact series it drew in `data-series`, so a test can
 * compare what is drawn with the directory.
 */

export const SERIES = [
  { key: 'authenticator', label: 'Authenticator', color: '--chart-authenticator' },
  { key: 'other', label: 'Other method only', color: '--chart-other' },
  { key: 'none', label: 'Nothing yet', color: '--chart-none' },
] as const;

function baseColors() {
  return {
    text: token('--fg'),
    grid: token('--stroke'),
    font: token('--font') || 'Segoe UI, sans-serif',
  };
}

function describe(
  canvas: HTMLCanvasElement,
  series: Record<string, number[]>,
  labels: string[],
): void {
  canvas.setAttribute('data-series', JSON.stringify({ labels, ...series }));
}

/** Coverage now, one stacked bar per role group. */
export function coverageChart(canvas: HTMLCanvasElement, rows: CoverageRow[]): Chart {
  const c = baseColors();
  const labels = rows.map((r) => r.name);
  const series = Object.fromEntries(SERIES.map((s) => [s.key, rows.map((r) => r[s.key])]));
  describe(canvas, series, labels);
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels,
      datasets: SERIES.map((s) => ({
        label: s.label,
        data: series[s.key]!,
        backgroundColor: token(s.color),
        borderColor: token('--surface'),
        borderWidth: 1,
      })),
    },
    options: {
      indexAxis: 'y',
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: {
          stacked: true,
          ticks: { color: c.text, precision: 0 },
          grid: { color: c.grid },
          title: { display: true, text: 'People', color: c.text },
        },
        y: { stacked: true, ticks: { color: c.text }, grid: { display: false } },
      },
      plugins: {
        legend: { position: 'bottom', labels: { color: c.text, font: { family: c.font } } },
        tooltip: { enabled: true },
      },
    },
  };
  return new Chart(canvas, config);
}

/** Vertical lines on the days campaigns started. */
function markerPlugin(dates: string[]): Plugin<'line'> {
  return {
    id: 'campaignMarkers',
    afterDatasetsDraw(chart) {
      const x = chart.scales.x;
      const area = chart.chartArea;
      if (!x || !area) return;
      const labels = chart.data.labels as string[];
      const ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = token('--chart-marker');
      ctx.fillStyle = token('--chart-marker');
      ctx.lineWidth = 2;
      ctx.setLineDash([5, 4]);
      for (const date of dates) {
        const index = labels.indexOf(date);
        if (index < 0) continue;
        const px = x.getPixelForValue(index);
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        ctx.beginPath();
        ctx.moveTo(px - 6, area.top);
        ctx.lineTo(px + 6, area.top);
        ctx.lineTo(px, area.top + 9);
        ctx.closePath();
        ctx.fill();
      }
      ctx.restore();
    },
  };
}

/** Coverage over time: the three counts per day, campaigns marked. */
export function trendChart(canvas: HTMLCanvasElement, trend: Trend): Chart {
  const c = baseColors();
  const labels = trend.points.map((p) => p.date);
  const series = Object.fromEntries(SERIES.map((s) => [s.key, trend.points.map((p) => p[s.key])]));
  describe(canvas, series, labels);
  canvas.setAttribute('data-markers', JSON.stringify(trend.markers.map((m) => m.date)));
  const config: ChartConfiguration<'line'> = {
    type: 'line',
    data: {
      labels,
      datasets: SERIES.map((s, i) => ({
        label: s.label,
        data: series[s.key]!,
        borderColor: token(s.color),
        backgroundColor: token(s.color),
        borderWidth: 2,
        borderDash: i === 0 ? [] : i === 1 ? [6, 3] : [2, 3],
        pointRadius: 0,
        pointHitRadius: 8,
        tension: 0.2,
      })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: {
          ticks: {
            color: c.text,
            maxTicksLimit: 8,
            callback: (_v, i) => formatDay(labels[i] ?? ''),
          },
          grid: { color: c.grid },
        },
        y: {
          beginAtZero: true,
          ticks: { color: c.text, precision: 0 },
          grid: { color: c.grid },
          title: { display: true, text: 'People', color: c.text },
        },
      },
      plugins: {
        legend: { position: 'bottom', labels: { color: c.text, font: { family: c.font } } },
        tooltip: {
          callbacks: { title: (items) => formatDay(labels[items[0]?.dataIndex ?? 0] ?? '') },
        },
      },
    },
    plugins: [markerPlugin(trend.markers.map((m) => m.date))],
  };
  return new Chart(canvas, config);
}
