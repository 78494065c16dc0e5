// What an enquirer would like to offer (`EnquiryReceived.interests`): the one list of
// interests, with the service's words for each, used by the web client, the demo and the docs.
// No zod in here, so the web client's bundle can take the words without the schemas.
export const interestWords = {
  teenagers: 'Teenagers',
  babies_and_toddlers: 'Babies and toddlers',
  siblings: 'Brothers and sisters together',
  parent_and_child: 'Parent and child',
  respite: 'Respite',
  short_breaks: 'Short breaks (link carers)',
  supported_lodgings: 'Supported lodgings (16+)',
  unaccompanied_children: 'Unaccompanied children',
} as const;

export type KnownInterest = keyof typeof interestWords;
export const knownInterests = Object.keys(interestWords) as KnownInterest[];

/** The words for an interest; a slug another system sent that the list does not know, in plain
 *  words from the slug itself (`foster_to_adopt` → "Foster to adopt"). */
export function interestInWords(slug: string): string {
  const known = (interestWords as Record<string, string>)[slug];
  if (known) return known;
  const words = slug.replace(/_+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
