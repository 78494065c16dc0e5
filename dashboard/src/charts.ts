// Chart.js, registered with only what the panels draw. Every chart is an image with a text
// label; the figures it shows are also in a table or list beside it, for screen readers and keyboards.
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
  type ChartType,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);
Chart.defaults.font.family = getComputedStyle(document.documentElement).getPropertyValue('--font').trim() || 'sans-serif';
Chart.defaults.font.size = 13;
Chart.defaults.color = '#1f2937';
Chart.defaults.borderColor = '#d1d5db';
// No animation: figures appear at once, and screenshots and tests see the final chart.
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;

/** Each at least 3:1 against white (WCAG 1.4.11, non-text contrast). */
export const colours = {
  blue: '#1d4ed8',
  teal: '#0f766e',
  violet: '#6d28d9',
  green: '#15803d',
  amber: '#b45309',
  rose: '#be123c',
  slate: '#475569',
} as const;

// Says on the canvas how many bars it has and how many of their labels were drawn, so a test can
// see that none was dropped for want of room.
Chart.register({
  id: 'labelsShown',
  afterLayout(chart: Chart) {
    const category = Object.values(chart.scales).find((scale) => scale.type === 'category');
    chart.canvas.dataset.bars = String(chart.data.labels?.length ?? 0);
    chart.canvas.dataset.labelsShown = String(category?.ticks.length ?? 0);
  },
});

const charts = new WeakMap<HTMLCanvasElement, Chart>();

/** Draws a chart on a canvas, replacing the one drawn there before. */
export function draw<T extends ChartType>(canvas: HTMLCanvasElement, config: ChartConfiguration<T>): Chart<T> {
  charts.get(canvas)?.destroy();
  const chart = new Chart(canvas, config);
  charts.set(canvas, chart as unknown as Chart);
  return chart;
}
