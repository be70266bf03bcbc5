import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, SVGRenderer]);

export interface ChartSeries {
  name: string;
  values: (number | null)[];
  /** A plan is drawn as a dashed line over the bars of the actual figures. */
  kind?: 'bar' | 'line';
}

/** Bars (and plan lines) over categories: years, or the schools of a district side by side. */
export function Chart({ labels, series, label, onSelect }: { labels: string[]; series: ChartSeries[]; label: string; onSelect?: (index: number) => void }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const chart = echarts.init(box.current, undefined, { renderer: 'svg' });
    chart.setOption({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 60, right: 20, top: 30, bottom: labels.length > 6 ? 80 : 30 },
      xAxis: { type: 'category', data: labels, axisLabel: { rotate: labels.length > 6 ? 30 : 0, width: 120, overflow: 'truncate' } },
      yAxis: { type: 'value' },
      series: series.map((s) =>
        s.kind === 'line'
          ? { type: 'line', name: s.name, data: s.values, lineStyle: { type: 'dashed' }, symbolSize: 8 }
          : { type: 'bar', name: s.name, data: s.values },
      ),
    });
    if (onSelect) chart.on('click', (params) => onSelect(params.dataIndex));
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [labels, series, onSelect]);
  return <div ref={box} role="img" aria-label={label} className="chart" style={{ width: '100%', height: 300 }} />;
}
