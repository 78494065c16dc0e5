// The acknowledgement an enquirer gets by email: the reference, what happens next and when. Pure.

export interface AcknowledgementFacts {
  serviceName: string;
  reference: string;
  name: string;
  firstResponseWorkingDays: number;
}

/** When the team will be in touch, in words: the agency's first-response target in working days. */
export function firstResponseInWords(workingDays: number): string {
  if (workingDays === 0) return 'today';
  if (workingDays === 1) return 'by the end of the next working day';
  return `within ${workingDays} working days`;
}

export function acknowledgementMessage(facts: AcknowledgementFacts): { subject: string; text: string } {
  return {
    subject: `Your enquiry about fostering: ${facts.reference}`,
    text: [
      `Dear ${facts.name},`,
      '',
      `Thank you for your enquiry about fostering with ${facts.serviceName}.`,
      '',
      `Your reference is ${facts.reference}. Please keep it: say it if you call us, and we will know who you are.`,
      '',
      'What happens next',
      `Someone from our fostering team will contact you ${firstResponseInWords(facts.firstResponseWorkingDays)} (Monday to Friday, ` +
        'except bank holidays), to talk about fostering and answer your questions. There is no obligation.',
      '',
      `${facts.serviceName}`,
      '',
      'You are getting this email because you sent an enquiry through our website. If it was not you, please reply and tell us.',
    ].join('\r\n'),
  };
}
