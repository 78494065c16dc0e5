// The demo's front door: besides the history replayed through the bus, today's enquiries arrive as the
// public sends them, through each agency's form with the tracking links of its running campaigns, so
// marketing's campaign view shows attribution by source. Each from its own loopback address (the form
// limits posts per source address), as people on their own connections would.
import { request } from 'node:http';
import { runningOn, trackingCodeOf, type AttributableCampaign } from '../../shared/domain/front-door';
import { knownInterests } from '../../shared/events/interests';
import { regions } from '../../shared/wiring/regions';
import { DEMO_REGION } from './rates';

/** One enquiry as the form posts it: where the link came from, and who. */
export interface WebEnquiry {
  agencyId: string;
  body: {
    contact: { name: string; email?: string; phone?: string };
    postcodeDistrict?: string;
    interests: string[];
    consent: true;
    attribution?: { campaign: string; source: string };
    howHeard?: string;
  };
}

const FIRST_NAMES = ['Alex', 'Sam', 'Jordan', 'Priya', 'Tomasz', 'Aisha', 'Gareth', 'Mei', 'Olu', 'Niamh', 'Rory', 'Hannah'];
const LAST_NAMES = ['Whitfield', 'Okafor', 'Nowak', 'Campbell', 'Hussain', 'Brennan', 'Clarke', 'Lloyd', 'Patel', 'Evans'];
/** Where the links were followed from: what attribution makes of each (docs/rules.md, the front door). */
const SOURCES = ['facebook', 'facebook', 'instagram', 'tiktok', 'newsletter'] as const;

/**
 * `counts[agencyId]` enquiries for each agency, drawn in turn (no randomness: the same every run): most
 * through a running campaign's tracking link, from its sources in turn; every fourth with no link
 * (the enquirer says how they heard). Those through the hub's form give a postcode district of each
 * member council in turn, so its records suggest the council.
 */
export function webEnquiryPlan(
  campaignsOf: Record<string, readonly (AttributableCampaign & { channels?: readonly string[] })[]>,
  today: string,
  counts: Record<string, number>,
  hubAgencyId?: string,
): WebEnquiry[] {
  const districts = Object.values(regions[DEMO_REGION]?.postcodeDistricts ?? {});
  return Object.entries(campaignsOf).flatMap(([agencyId, campaigns]) => {
    const running = campaigns.filter((c) => runningOn(c, today));
    return Array.from({ length: counts[agencyId] ?? 0 }, (_, i): WebEnquiry => {
      const area = agencyId === hubAgencyId && districts.length > 0 ? districts[i % districts.length]! : undefined;
      const first = FIRST_NAMES[i % FIRST_NAMES.length]!;
      const last = LAST_NAMES[(i * 7 + agencyId.length) % LAST_NAMES.length]!;
      const campaign = running.length > 0 && i % 4 !== 3 ? running[i % running.length] : undefined;
      return {
        agencyId,
        body: {
          contact: { name: `${first} ${last}`, email: `${first}.${last}.${agencyId}.${i}@example.org`.toLowerCase() },
          ...(area ? { postcodeDistrict: area[i % area.length]! } : {}),
          interests: [knownInterests[i % knownInterests.length]!],
          consent: true,
          ...(campaign
            ? { attribution: { campaign: trackingCodeOf(campaign), source: SOURCES[i % SOURCES.length]! } }
            : { howHeard: i % 2 === 0 ? 'information_event' : 'radio' }),
        },
      };
    });
  });
}

/** Posts each to the form, from its own loopback address; answers the references given. Where the
 *  system has only 127.0.0.1 (macOS), all come from there, and sending stops at the per-address limit. */
export async function sendWebEnquiries(apiUrl: string, enquiries: readonly WebEnquiry[]): Promise<string[]> {
  const references: string[] = [];
  let ownAddresses = true;
  for (const [i, enquiry] of enquiries.entries()) {
    const url = `${apiUrl}/public/enquiries/${encodeURIComponent(enquiry.agencyId)}`;
    const localAddress = `127.0.${Math.floor(i / 250) + 10}.${(i % 250) + 2}`;
    let answer: { status: number; text: string };
    try {
      answer = await post(url, enquiry.body, ownAddresses ? localAddress : undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRNOTAVAIL') throw error;
      ownAddresses = false;
      answer = await post(url, enquiry.body, undefined);
    }
    if (answer.status === 429 && !ownAddresses) break;
    if (answer.status !== 202) throw new Error(`the enquiry form answered ${answer.status}: ${answer.text}`);
    references.push((JSON.parse(answer.text) as { reference: string }).reference);
  }
  return references;
}

function post(url: string, body: unknown, localAddress: string | undefined): Promise<{ status: number; text: string }> {
  return new Promise((done, fail) => {
    const outgoing = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json' }, ...(localAddress ? { localAddress } : {}) },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        response.on('end', () => done({ status: response.statusCode ?? 0, text }));
        response.on('error', fail);
      },
    );
    outgoing.on('error', fail);
    outgoing.end(JSON.stringify(body));
  });
}
