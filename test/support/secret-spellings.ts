/**
 * Every way a credential is spelled in what Dockhand reads (proxy settings, registry mirrors, flags, environments),
 * with what masking must leave and the fragments that must never be shown. One table for the masking unit test
 * (shared/mask.test.ts) and for the end-to-end test that feeds them to a real dockerd and the real CLI
 * (test/security/secret-masking.test.ts). Every fragment is distinctive, so finding one anywhere is a leak.
 */
export interface SecretSpelling {
  name: string;
  value: string;
  masked: string;
  /** Every piece of the secret, as written and as decoded: none may appear in any output. */
  secrets: string[];
}

export const SECRET_SPELLINGS: readonly SecretSpelling[] = [
  { name: 'a token as the user name', value: 'https://ghp_Tok3nAsUser0001@github.example.com', masked: 'https://****@github.example.com', secrets: ['ghp_Tok3nAsUser0001'] },
  { name: '@ inside the password', value: 'http://alice:Pa55word0002a@AtSign0002b@proxy.example.com:3128', masked: 'http://****@proxy.example.com:3128', secrets: ['Pa55word0002a', 'AtSign0002b'] },
  { name: 'quotes inside the password', value: `http://bob:Quo"te0003a'Quo0003b@proxy.example.com:3128`, masked: 'http://****@proxy.example.com:3128', secrets: ['te0003a', 'Quo0003b'] },
  { name: 'an empty user name', value: 'http://:EmptyUser0004@proxy.example.com:3128', masked: 'http://****@proxy.example.com:3128', secrets: ['EmptyUser0004'] },
  { name: 'percent-encoded password', value: 'http://carol:Pct%40Enc0005%3Aend@proxy.example.com:3128', masked: 'http://****@proxy.example.com:3128', secrets: ['Enc0005'] },
  {
    name: 'several URLs in one list',
    value: 'http://dave:ListA0006@p1.example.com:3128,https://erin:ListB0006@p2.example.com,localhost',
    masked: 'http://****@p1.example.com:3128,https://****@p2.example.com,localhost',
    secrets: ['ListA0006', 'ListB0006'],
  },
  { name: 'user:pass@host without a scheme', value: 'frank:NoScheme0007@proxy.example.com:3128', masked: '****@proxy.example.com:3128', secrets: ['NoScheme0007'] },
  {
    name: 'flags on one line',
    value: '--http-proxy=http://gina:FlagA0008@proxy.example.com:3128 --https-proxy=hank:FlagB0008@proxy.example.com:3128',
    masked: '--http-proxy=http://****@proxy.example.com:3128 --https-proxy=****@proxy.example.com:3128',
    secrets: ['FlagA0008', 'FlagB0008'],
  },
  { name: 'a percent-encoded token as the user name', value: 'https://Tok%2DEnc0009@registry.example.com', masked: 'https://****@registry.example.com', secrets: ['Enc0009'] },
  { name: 'both quotes and @ together', value: `socks5://ivy:Sq'Dq"At@Both0010@socks.example.com:1080`, masked: 'socks5://****@socks.example.com:1080', secrets: ["Sq'Dq", 'Both0010'] },
];
