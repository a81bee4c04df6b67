/**
 * The score as a ring: green when good, amber in between, red when poor (the number is always written out). An
 * incomplete score (the daemon could not be asked) is grey, whatever the number: it covers only part of the checks, so
 * it must not read as a healthier host than one whose every check ran.
 */
export function ScoreRing({ score, incomplete = false, size = 132 }: { score: number; incomplete?: boolean; size?: number }) {
  const stroke = 12;
  const r = (size - stroke) / 2;
  const c = 2 * Math.PI * r;
  const tone = incomplete ? 'incomplete' : score >= 80 ? 'good' : score >= 50 ? 'fair' : 'poor';
  return (
    <svg
      className={`score-ring score-${tone}`}
      width={size}
      height={size}
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={incomplete ? `Score ${score} out of 100, incomplete` : `Score ${score} out of 100`}
      data-incomplete={incomplete}
    >
      <circle className="score-track" cx={size / 2} cy={size / 2} r={r} strokeWidth={stroke} fill="none" />
      <circle
        className="score-value"
        cx={size / 2}
        cy={size / 2}
        r={r}
        strokeWidth={stroke}
        fill="none"
        strokeLinecap="round"
        strokeDasharray={incomplete ? '4 8' : `${(c * score) / 100} ${c}`}
        transform={`rotate(-90 ${size / 2} ${size / 2})`}
      />
      <text x="50%" y={incomplete ? '44%' : '50%'} dominantBaseline="central" textAnchor="middle" className="score-text">
        {score}
      </text>
      {incomplete && (
        <text x="50%" y="66%" dominantBaseline="central" textAnchor="middle" className="score-subtext">
          incomplete
        </text>
      )}
    </svg>
  );
}

/** `incomplete`: the checks that need the Engine API could not run, so a high score says little. */
export function scoreVerdict(score: number, incomplete = false): string {
  if (incomplete) return 'Incomplete: the daemon did not answer';
  if (score >= 90) return 'In good shape';
  if (score >= 75) return 'A few things to fix';
  if (score >= 50) return 'Needs attention';
  return 'At risk';
}
