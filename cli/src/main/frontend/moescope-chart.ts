// A thin ECharts host: Java sends the whole option as a JSON string; this element draws it.
// Light DOM (no shadow root) so ECharts measures the host itself; only the needed parts of
// ECharts are registered to keep the production bundle small.
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  MarkPointComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  HeatmapChart,
  BarChart,
  LineChart,
  GridComponent,
  TooltipComponent,
  VisualMapComponent,
  TitleComponent,
  LegendComponent,
  MarkLineComponent,
  MarkPointComponent,
  DataZoomComponent,
  CanvasRenderer,
]);

type Formatter = (params: any) => string;

function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// Functions cannot travel in JSON, so the Java side names one of these ("@cell") instead.
const FORMATTERS: Record<string, (chart: echarts.ECharts) => Formatter> = {
  // A cartesian cell: "<y axis name> <y label> · <x axis name> <x label>", then one line per
  // further dimension of the series ("share %: 3.1"), using the series' dimension names.
  '@cell': (chart) => (params: any) => {
    const option: any = chart.getOption();
    const xAxis = option.xAxis?.[0] ?? {};
    const yAxis = option.yAxis?.[0] ?? {};
    const value: unknown[] = params.value ?? [];
    const names: string[] = params.dimensionNames ?? [];
    const xLabel = xAxis.data?.[value[0] as number] ?? value[0];
    const yLabel = yAxis.data?.[value[1] as number] ?? value[1];
    const lines = [
      `${escapeHtml(yAxis.name ?? '')} ${escapeHtml(yLabel)} · ${escapeHtml(xAxis.name ?? '')} ${escapeHtml(xLabel)}`,
    ];
    for (let i = 2; i < value.length; i++) {
      lines.push(`${params.marker ?? ''}${escapeHtml(names[i] ?? `#${i}`)}: <b>${escapeHtml(value[i])}</b>`);
    }
    return lines.join('<br/>');
  },
};

function resolveFormatters(node: any, chart: echarts.ECharts): any {
  if (Array.isArray(node)) {
    return node.map((item) => resolveFormatters(item, chart));
  }
  if (node && typeof node === 'object') {
    const out: any = {};
    for (const [key, value] of Object.entries(node)) {
      out[key] =
        key === 'formatter' && typeof value === 'string' && FORMATTERS[value]
          ? FORMATTERS[value](chart)
          : resolveFormatters(value, chart);
    }
    return out;
  }
  return node;
}

class MoescopeChart extends HTMLElement {
  private chart?: echarts.ECharts;
  private resizeObserver?: ResizeObserver;
  private optionJson?: string;

  get option(): string | undefined {
    return this.optionJson;
  }

  set option(value: string | undefined) {
    this.optionJson = value;
    this.render();
  }

  connectedCallback(): void {
    // Flow may set the property before this class is defined; that own property would shadow
    // the setter, so move it onto the setter.
    if (Object.prototype.hasOwnProperty.call(this, 'option')) {
      const early = (this as any).option;
      delete (this as any).option;
      this.option = early;
    }
    this.chart = echarts.init(this, undefined, { renderer: 'canvas' });
    // Browser tests wait on this attribute: it is set only once ECharts has drawn the option.
    this.chart.on('finished', () => this.setAttribute('data-rendered', 'true'));
    this.resizeObserver = new ResizeObserver(() => this.chart?.resize());
    this.resizeObserver.observe(this);
    this.render();
  }

  disconnectedCallback(): void {
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
    this.chart?.dispose();
    this.chart = undefined;
    this.removeAttribute('data-rendered');
  }

  private render(): void {
    if (!this.chart || !this.optionJson) {
      return;
    }
    this.removeAttribute('data-rendered');
    const option = resolveFormatters(JSON.parse(this.optionJson), this.chart);
    this.chart.setOption(option, true);
  }
}

if (!customElements.get('moescope-chart')) {
  customElements.define('moescope-chart', MoescopeChart);
}
