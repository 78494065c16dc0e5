import { httpRoute, parseOr400 } from '../../shared/api/http';
import { committeeReportFigures, ReportQuerySchema } from '../../shared/queries/committee-report';
import { fosteringServiceUpdateDocx } from '../../shared/reports/fostering-service-update';

export const DOCX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

// A binary answer: API Gateway (payload 2.0) and the local server decode it from base64.
export const handler = httpRoute('FosteringServiceUpdate', async (caller, event) => {
  const query = parseOr400(ReportQuerySchema, event.queryStringParameters ?? {});
  const document = await fosteringServiceUpdateDocx(await committeeReportFigures(caller.agencyId, query.from, query.to));
  return {
    statusCode: 200,
    headers: {
      'content-type': DOCX_MEDIA_TYPE,
      'content-disposition': `attachment; filename="fostering-service-update-${caller.agencyId}-${query.from}-${query.to}.docx"`,
    },
    isBase64Encoded: true,
    body: document.toString('base64'),
  };
});
