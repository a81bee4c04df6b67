/** The score as a ring: green when good, amber in between, red when poor (the number is always written out). */
export function ScoreRing({ score, size = 132 }: { score: number; size?: number }) {
  const stroke = 12;
  const r = (size - stroke) / 2;
  const c = 2 * Math.PI * r;
  const tone = score >= 80 ? 'good' : score >= 50 ? 'fair' : 'poor';
  return (
    <svg className={`score-ring score-${tone}`} width={size} height={size} viewBox={`0 0 ${size} ${size}`} role="img" aria-label={`Score ${score} out of 100`}>
      <circle className="score-track" cx={size / 2} cy={size / 2} r={r} strokeWidth={stroke} fill="none" />
      <circle
        className="score-value"
        cx={size / 2}
        cy={size / 2}
        r={r}
        strokeWidth={stroke}
        fill="none"
        strokeLinecap="round"
        strokeDasharray={`${(c * score) / 100} ${c}`}
        transform={`rotate(-90 ${size / 2} ${size / 2})`}
      />
      <text x="50%" y="50%" dominantBaseline="central" textAnchor="middle" className="score-text">
        {score}
      </text>
    </svg>
  );
}

/** `daemonDown`: the checks that need the Engine API could not run, so a high score says little. */
export function scoreVerdict(score: number, daemonDown = false): string {
  if (daemonDown) return 'Incomplete: the daemon did not answer';
  if (score >= 90) return 'In good shape';
  if (score >= 75) return 'A few things to fix';
  if (score >= 50) return 'Needs attention';
  return 'At risk';
}
