import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart as Bars } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

// Only the pieces the list's charts use, so the page stays small on a school's old computer.
echarts.use([Bars, GridComponent, TooltipComponent, LegendComponent, SVGRenderer]);

export interface Series {
  name: string;
  values: number[];
}

/**
 * A bar chart: categories along one axis, one or more series of values. Horizontal bars suit
 * long labels such as school names. Rendered as SVG so that it prints sharply.
 */
export function BarChart({
  labels,
  series,
  label,
  horizontal = false,
  max,
  onSelect,
}: {
  labels: string[];
  series: Series[];
  /** What the chart shows, for screen readers. */
  label: string;
  horizontal?: boolean;
  max?: number;
  onSelect?: (index: number) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const chart = echarts.init(box.current, undefined, { renderer: 'svg' });
    const categoryAxis = { type: 'category' as const, data: labels, axisLabel: { width: 180, overflow: 'truncate' as const } };
    const valueAxis = { type: 'value' as const, max };
    chart.setOption({
      tooltip: { trigger: 'axis' },
      legend: series.length > 1 ? { top: 0 } : undefined,
      grid: { left: horizontal ? 190 : 50, right: 20, top: series.length > 1 ? 30 : 10, bottom: 30, containLabel: false },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? { ...categoryAxis, inverse: true } : valueAxis,
      series: series.map((s) => ({ type: 'bar', name: s.name, data: s.values })),
    });
    if (onSelect) chart.on('click', (params) => onSelect(params.dataIndex));
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [labels, series, horizontal, max, onSelect]);
  const height = horizontal ? Math.max(160, labels.length * 28 + 50) : 280;
  return <div ref={box} role="img" aria-label={label} className="chart" style={{ width: '100%', height }} />;
}
