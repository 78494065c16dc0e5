// The front door: enquiries from the public through the agency's form. Which campaign and channel a
// web enquiry is attributed to, campaigns' tracking codes, and how a post is screened before anything
// is recorded. Pure.
import type { Channel } from '../events/vocabulary';

/** Who recorded an enquiry that came through the form (`recordedBy`): the caseload marks it a web enquiry. */
export const PUBLIC_RECORDER = 'public';
/** The most a form post may carry: a person's few lines of contact details fit many times over. */
export const MAX_PUBLIC_BODY_BYTES = 16 * 1024;

/** What the page takes from the link's `utm_*` parameters and the referrer. */
export interface WebAttribution {
  source?: string;
  medium?: string;
  campaign?: string;
  content?: string;
  referrer?: string;
}

/** What attribution needs of a campaign the agency may name. */
export interface AttributableCampaign {
  campaignId: string;
  name: string;
  startsOn: string;
  endsOn?: string | null;
  trackingCode?: string;
}

const TRACKING_CODE_LENGTH = { min: 3, max: 40 };

/** A campaign's code derived from its name: "Summer 2023 — radio!" → `summer-2023-radio`. A name with
 *  too few letters or digits falls back on the campaign's id, then on `campaign-<id>`. */
export function trackingCodeFrom(name: string, campaignId: string): string {
  const slug = (text: string) =>
    text
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, TRACKING_CODE_LENGTH.max)
      .replace(/-+$/, '');
  for (const candidate of [slug(name), slug(campaignId), slug(`campaign-${campaignId}`)]) {
    if (candidate.length >= TRACKING_CODE_LENGTH.min) return candidate;
  }
  return 'campaign';
}

/** The code with a number after it (`summer-2`), within the 40 characters. */
export const withSuffix = (code: string, n: number): string =>
  `${code.slice(0, TRACKING_CODE_LENGTH.max - String(n).length - 1).replace(/-+$/, '')}-${n}`;

/** The code a campaign answers to: its own, or the one its name gives (a campaign another system launched without one). */
export const trackingCodeOf = (campaign: AttributableCampaign): string =>
  campaign.trackingCode ?? trackingCodeFrom(campaign.name, campaign.campaignId);

/** Running on a date: started on or before it, not ended before it. */
export const runningOn = (campaign: AttributableCampaign, date: string): boolean =>
  campaign.startsOn <= date && (campaign.endsOn == null || campaign.endsOn >= date);

/** The campaign's tracking link: the form's address with its code and its first channel. */
export function trackingLink(formUrl: string, campaign: AttributableCampaign & { channels: readonly string[] }): string {
  const query = new URLSearchParams({ utm_campaign: trackingCodeOf(campaign), utm_source: campaign.channels[0] ?? 'website' });
  return `${formUrl}?${query.toString()}`;
}

const facebook = new Set(['facebook', 'fb']);
const otherSocial = new Set(['instagram', 'tiktok', 'x', 'linkedin']);

/** The channel a link's source and medium name: the first of them that is a social network's, else the website. */
function channelOfLink(source: string | undefined, medium: string | undefined): Channel {
  for (const value of [source, medium]) {
    const word = value?.trim().toLowerCase();
    if (word === undefined) continue;
    if (facebook.has(word)) return 'facebook';
    if (otherSocial.has(word)) return 'social_other';
  }
  return 'website';
}

/**
 * A web enquiry's campaign and channel. Its campaign: the one whose tracking code is the link's
 * `campaign` and which is running on the enquiry's date (several: the latest to start, then by id).
 * Its channel: from the link's source and medium when it has either (Facebook → `facebook`; Instagram,
 * TikTok, X, LinkedIn → `social_other`; anything else → `website`), else what the enquirer said
 * brought them, else `website`.
 */
export function attributeWebEnquiry(
  enquiry: { on: string; attribution?: WebAttribution; howHeard?: Channel },
  campaigns: readonly AttributableCampaign[],
): { campaignId?: string; channel: Channel } {
  const { attribution, howHeard, on } = enquiry;
  const code = attribution?.campaign?.trim().toLowerCase();
  const [campaign] = code
    ? campaigns
        .filter((c) => trackingCodeOf(c) === code && runningOn(c, on))
        .sort((a, b) => b.startsOn.localeCompare(a.startsOn) || a.campaignId.localeCompare(b.campaignId))
    : [];
  const fromLink = attribution?.source?.trim() || attribution?.medium?.trim();
  const channel = fromLink ? channelOfLink(attribution?.source, attribution?.medium) : (howHeard ?? 'website');
  return { ...(campaign ? { campaignId: campaign.campaignId } : {}), channel };
}

/** A post no person sent: answered as if recorded, recorded nowhere, counted for the manager. */
export type Screened = 'honeypot' | 'too_fast';

/** How long a person takes at least to fill the form after the page was served. */
export const FASTEST_HUMAN_MS = 3000;

/**
 * The honeypot (a field hidden from people, which only a robot fills) and the page's served-at
 * stamp (when it verifies: a post less than three seconds after the page was served). A post without
 * a stamp that verifies (from a council's own page) is judged by the other rules only.
 */
export function screenPost(post: { honeypot?: string; servedAtMs?: number }, nowMs: number): Screened | undefined {
  if (post.honeypot !== undefined && post.honeypot.trim() !== '') return 'honeypot';
  if (post.servedAtMs !== undefined && nowMs - post.servedAtMs < FASTEST_HUMAN_MS) return 'too_fast';
  return undefined;
}

/** A limit on posts: at most `posts` in any `windowMs`. */
export interface PostLimit {
  posts: number;
  windowMs: number;
}
/** From one source address, and to one agency (docs/rules.md, the front door). */
export const postLimits = {
  perSource: { posts: 5, windowMs: 10 * 60_000 },
  perAgency: { posts: 300, windowMs: 60 * 60_000 },
} as const satisfies Record<string, PostLimit>;

/**
 * A post at `nowMs` against the times of the posts before it (any order): every post counts, refused
 * ones too. Keeps the newest `limit.posts` times (all a later verdict needs); refused when the post
 * makes more than `limit.posts` in the window, with the seconds until one more would be accepted.
 */
export function countPost(
  earlierMs: readonly number[],
  nowMs: number,
  limit: PostLimit,
): { kept: number[]; refused: false } | { kept: number[]; refused: true; retryAfterSeconds: number } {
  const inWindow = [...earlierMs.filter((at) => at > nowMs - limit.windowMs), nowMs].sort((a, b) => b - a);
  const kept = inWindow.slice(0, limit.posts);
  if (inWindow.length <= limit.posts) return { kept, refused: false };
  // One more is accepted once the oldest of the newest `posts` has left the window.
  const oldestKept = kept.at(-1)!;
  return { kept, refused: true, retryAfterSeconds: Math.max(1, Math.ceil((oldestKept + limit.windowMs - nowMs) / 1000)) };
}
