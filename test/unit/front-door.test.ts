// The front door's pure rules: the limits' sliding windows, the screening of robots' posts, campaigns'
// tracking codes and links, and the demo's web enquiries.
import {
  attributeWebEnquiry,
  countPost,
  postLimits,
  screenPost,
  trackingCodeFrom,
  trackingLink,
  withSuffix,
} from '../../shared/domain/front-door';
import { webEnquiryPlan } from '../../tools/demo/web-enquiries';
import { councilOfDistrict } from '../../shared/wiring/regions';

describe('the limits', () => {
  const { perSource } = postLimits;
  const minute = 60_000;

  it('accept 5 posts in any 10 minutes and refuse the 6th, with the seconds until the oldest leaves the window', () => {
    let kept: number[] = [];
    const verdicts: Array<boolean | number> = [];
    for (const at of [0, 1, 2, 3, 4, 5].map((m) => m * minute)) {
      const verdict = countPost(kept, at, perSource);
      kept = verdict.kept;
      verdicts.push(verdict.refused ? verdict.retryAfterSeconds : false);
    }
    // The 6th, at minute 5, is refused until the post of minute 1 leaves the window, at minute 11.
    expect(verdicts).toEqual([false, false, false, false, false, 6 * 60]);
  });

  it('count refused posts too: a robot that keeps posting stays refused', () => {
    let kept: number[] = [];
    for (let s = 0; s < 60; s++) kept = countPost(kept, s * 1000, perSource).kept;
    const next = countPost(kept, 9 * minute, perSource);
    expect(next.refused).toBe(true);
    // Ten quiet minutes after the last post: accepted again.
    expect(countPost(kept, 59_000 + 10 * minute, perSource).refused).toBe(false);
  });

  it('slide: the window is any ten minutes, not a clock-aligned one', () => {
    const kept = [9, 9.5, 9.8, 9.9, 9.95].map((m) => m * minute);
    expect(countPost(kept, 10.1 * minute, perSource).refused).toBe(true);
    expect(countPost(kept, 19.01 * minute, perSource).refused).toBe(false);
  });
});

describe('screening', () => {
  it.each([
    [{ honeypot: 'http://spam.example' }, 10_000, 'honeypot'],
    [{ honeypot: '   ' }, 10_000, undefined],
    [{ servedAtMs: 8_000 }, 10_000, 'too_fast'],
    [{ servedAtMs: 7_000 }, 10_000, undefined],
    [{}, 10_000, undefined],
  ] as const)('%j posted at %d ms: %s', (post, now, expected) => {
    expect(screenPost(post, now)).toBe(expected);
  });
});

describe('tracking codes and links', () => {
  it.each([
    ['Summer 2023 — radio!', 'summer-2023-radio'],
    ['Zoë’s Fostering Fortnight', 'zoe-s-fostering-fortnight'],
    ['!!', 'x1-2'],
  ])('"%s" gives %s', (name, code) => {
    expect(trackingCodeFrom(name, 'x1-2')).toBe(code);
  });

  it('number a taken code within 40 characters', () => {
    expect(withSuffix('summer', 2)).toBe('summer-2');
    expect(withSuffix('a'.repeat(40), 12)).toBe(`${'a'.repeat(37)}-12`);
  });

  it("carry the code and the campaign's first channel, which attribution reads back", () => {
    const campaign = { campaignId: 'c1', name: 'Open evenings', startsOn: '2026-01-01', channels: ['facebook'] };
    const link = trackingLink('https://forms.example/enquire/cambs', campaign);
    expect(link).toBe('https://forms.example/enquire/cambs?utm_campaign=open-evenings&utm_source=facebook');
    const query = new URL(link).searchParams;
    const attribution = { campaign: query.get('utm_campaign')!, source: query.get('utm_source')! };
    expect(attributeWebEnquiry({ on: '2026-02-01', attribution }, [campaign])).toEqual({ campaignId: 'c1', channel: 'facebook' });
  });
});

describe("the demo's web enquiries", () => {
  const campaigns = {
    cambs: [
      { campaignId: 'running', name: 'Open evenings', startsOn: '2026-01-01', trackingCode: 'open-evenings' },
      { campaignId: 'ended', name: 'Old', startsOn: '2020-01-01', endsOn: '2020-02-01' },
    ],
    norfolk: [],
  };

  it("come mostly by running campaigns' tracking links, the rest saying how they heard, the same every run", () => {
    const plan = webEnquiryPlan(campaigns, '2026-12-07', { cambs: 8, norfolk: 8 });
    expect(plan).toEqual(webEnquiryPlan(campaigns, '2026-12-07', { cambs: 8, norfolk: 8 }));
    const cambs = plan.filter((e) => e.agencyId === 'cambs');
    expect(cambs.filter((e) => e.body.attribution?.campaign === 'open-evenings')).toHaveLength(6);
    expect(cambs.filter((e) => e.body.attribution === undefined)).toHaveLength(2);
    expect(new Set(cambs.map((e) => e.body.attribution?.source).filter(Boolean))).toEqual(new Set(['facebook', 'instagram', 'newsletter']));
    expect(plan.filter((e) => e.agencyId === 'norfolk').every((e) => e.body.attribution === undefined)).toBe(true);
  });

  it("come mostly through the hub's form, each from a district of its member councils in turn, so its records suggest one", () => {
    const plan = webEnquiryPlan({ 'eoe-hub': [], cambs: campaigns.cambs }, '2026-12-07', { 'eoe-hub': 6, cambs: 2 }, 'eoe-hub');
    const atHub = plan.filter((e) => e.agencyId === 'eoe-hub');
    expect(atHub.map((e) => councilOfDistrict('east-of-england', e.body.postcodeDistrict!))).toEqual([
      'cambs',
      'peterborough',
      'norfolk',
      'cambs',
      'peterborough',
      'norfolk',
    ]);
    // A council's own form: no district drawn for it.
    expect(plan.filter((e) => e.agencyId === 'cambs').map((e) => e.body.postcodeDistrict)).toEqual([undefined, undefined]);
  });
});
