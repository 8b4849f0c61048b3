// The evidence report (data/report/report.pdf). Its sections and the page-writing layer
// under them are in ./pdf/ (shared with the court bundle, bundle.pdf).
export { renderReportPdf, renderReportPdfWith, type ReportOptions } from './pdf/report';
