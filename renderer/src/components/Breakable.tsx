import { Fragment } from 'react';
import { breakPieces } from '../lib/prose';

/** Text that may wrap after its separators (a <wbr> after each), so a path or a URL breaks where a reader expects. */
export function Breakable({ text }: { text: string }) {
  return (
    <>
      {breakPieces(text).map((piece, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {piece}
        </Fragment>
      ))}
    </>
  );
}
