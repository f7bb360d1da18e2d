/** Envoy's StreamInfo response flags: the bits the emulator sets and their access-log short codes. */

export const ResponseFlag = {
  NoHealthyUpstream: 0x2,
  UpstreamRequestTimeout: 0x4,
  UpstreamRemoteReset: 0x10,
  UpstreamConnectionFailure: 0x20,
  NoRouteFound: 0x100,
  DownstreamConnectionTermination: 0x4000,
  NoClusterFound: 0x1000000,
} as const;

/** Short codes in Envoy's order (%RESPONSE_FLAGS%). */
const SHORT_CODES: [number, string][] = [
  [ResponseFlag.NoHealthyUpstream, 'UH'],
  [ResponseFlag.UpstreamRequestTimeout, 'UT'],
  [ResponseFlag.UpstreamRemoteReset, 'UR'],
  [ResponseFlag.UpstreamConnectionFailure, 'UF'],
  [ResponseFlag.NoRouteFound, 'NR'],
  [ResponseFlag.DownstreamConnectionTermination, 'DC'],
  [ResponseFlag.NoClusterFound, 'NC'],
];

/** `UH,UF`-style text, or `-` when no flag is set. */
export function responseFlagsText(flags: number): string {
  const codes = SHORT_CODES.filter(([bit]) => (flags & bit) !== 0).map(([, code]) => code);
  return codes.length > 0 ? codes.join(',') : '-';
}
