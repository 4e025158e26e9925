/** Small SVG charts (no chart library): stacked bars, a line, horizontal bars. */

export const COLORS = ["#3b82f6", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#06b6d4", "#ec4899", "#84cc16",
  "#64748b"];

export interface Series {
  name: string;
  values: number[];
}

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((s) => s * power >= value) ?? 10;
  return step * power;
}

export function Legend({ names }: { names: string[] }) {
  return (
    <ul className="legend">
      {names.map((name, i) => (
        <li key={name}><span className="swatch" style={{ background: COLORS[i % COLORS.length] }} />{name}</li>
      ))}
    </ul>
  );
}

/** Bars per label, one colored segment per series (stacked). */
export function StackedBars({ labels, series, height = 180, title }: { labels: string[]; series: Series[];
  height?: number; title: string }) {
  const width = 640;
  const pad = { left: 36, bottom: 22, top: 8 };
  const totals = labels.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const plotHeight = height - pad.bottom - pad.top;
  const slot = (width - pad.left) / Math.max(labels.length, 1);
  const barWidth = Math.max(2, slot * 0.7);
  const y = (value: number) => pad.top + plotHeight - (value / max) * plotHeight;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={pad.left} x2={width} y1={y(max * f)} y2={y(max * f)} className="grid" />
            <text x={pad.left - 4} y={y(max * f) + 4} textAnchor="end" className="axis">{Math.round(max * f)}</text>
          </g>
        ))}
        {labels.map((label, i) => {
          let base = 0;
          const x = pad.left + i * slot + (slot - barWidth) / 2;
          return (
            <g key={label + i}>
              {series.map((s, si) => {
                const value = s.values[i] ?? 0;
                if (!value) return null;
                const top = y(base + value);
                const rect = <rect key={s.name} x={x} y={top} width={barWidth} height={y(base) - top}
                  fill={COLORS[si % COLORS.length]}><title>{`${label} — ${s.name}: ${value}`}</title></rect>;
                base += value;
                return rect;
              })}
              {(labels.length <= 12 || i % Math.ceil(labels.length / 12) === 0) && (
                <text x={x + barWidth / 2} y={height - 6} textAnchor="middle" className="axis">{label}</text>
              )}
            </g>
          );
        })}
      </svg>
      <Legend names={series.map((s) => s.name)} />
    </figure>
  );
}

/** One line over labelled points. */
export function LineChart({ labels, values, height = 140, title }: { labels: string[]; values: number[];
  height?: number; title: string }) {
  const width = 640;
  const pad = { left: 36, bottom: 22, top: 8 };
  const max = niceMax(Math.max(0, ...values));
  const plotHeight = height - pad.bottom - pad.top;
  const step = (width - pad.left - 8) / Math.max(values.length - 1, 1);
  const point = (v: number, i: number) => `${pad.left + i * step},${pad.top + plotHeight - (v / max) * plotHeight}`;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={pad.left} x2={width} y1={pad.top + plotHeight * (1 - f)} y2={pad.top + plotHeight * (1 - f)}
              className="grid" />
            <text x={pad.left - 4} y={pad.top + plotHeight * (1 - f) + 4} textAnchor="end" className="axis">
              {Math.round(max * f)}</text>
          </g>
        ))}
        {values.length > 0 && <polyline points={values.map(point).join(" ")} className="line" />}
        {values.map((v, i) => {
          const [cx, cy] = point(v, i).split(",");
          return <circle key={i} cx={cx} cy={cy} r={3} className="dot"><title>{`${labels[i]}: ${v}`}</title></circle>;
        })}
        {labels.map((label, i) => (labels.length <= 10 || i % Math.ceil(labels.length / 10) === 0) && (
          <text key={i} x={pad.left + i * step} y={height - 6} textAnchor="middle" className="axis">{label}</text>
        ))}
      </svg>
    </figure>
  );
}

/** Horizontal bars for a few named values (interests, counts by type). */
export function HBars({ items }: { items: { name: string; value: number }[] }) {
  const max = Math.max(1e-9, ...items.map((item) => Math.abs(item.value)));
  return (
    <ul className="hbars">
      {items.map((item) => (
        <li key={item.name}>
          <span className="hbar-name">{item.name}</span>
          <span className="hbar-track"><span className="hbar" style={{ width: `${(Math.abs(item.value) / max) * 100}%` }} /></span>
          <span className="hbar-value">{Number.isInteger(item.value) ? item.value : item.value.toFixed(2)}</span>
        </li>
      ))}
    </ul>
  );
}
