import { Fragment } from 'react';
import { proseParts } from '../lib/prose';

/** Text from the engines and the checks, with `backticked` commands and paths shown as code (never as literal backticks). */
export function Prose({ text }: { text: string }) {
  return (
    <>{proseParts(text).map((part, i) => (part.code ? <code key={i}>{part.text}</code> : <Fragment key={i}>{part.text}</Fragment>))}</>
  );
}
