// Words for the stable blocker codes: what a person reads in the lens, the notification and the
// diagnostic. The code itself stays machine-readable (diagnostic.code, JSON output).
import { t } from '../i18n';
import type { BlockerCode } from './types';

export function blockerWords(code: BlockerCode | null | undefined): string {
  switch (code) {
    case 'LABEL_INVALID': return t('the label has an error');
    case 'LABEL_UNRESOLVED': return t('the label uses variables that are not set');
    case 'API_ERROR': return t('the SLB API call failed');
    case 'SLB_NOT_FOUND': return t('SLB not found');
    case 'SLB_AMBIGUOUS': return t('several SLBs have this name');
    case 'SLB_INACTIVE': return t('the SLB is not active');
    case 'ADDRESS_MISSING': return t('the SLB has no address');
    case 'ADDRESS_INTRANET': return t('the SLB address is internal only');
    case 'LISTENER_MISSING': return t('no listener on the front port');
    case 'LISTENER_PROTOCOL_MISMATCH': return t('the listener has another protocol');
    case 'LISTENER_BACKEND_PORT_MISMATCH': return t('the listener forwards to another backend port');
    case 'LISTENER_STOPPED': return t('the listener is stopped');
    case 'NO_BACKENDS': return t('no backend servers');
    case 'BACKENDS_UNHEALTHY': return t('backends fail the health check');
    case 'CONNECT_REFUSED': return t('connection refused');
    case 'CONNECT_TIMEOUT': return t('connection timed out');
    case 'HTTP_ERROR': return t('the HTTP request failed');
    case 'TLS_HANDSHAKE_FAILED': return t('the TLS handshake failed');
    case 'APP_PROBE_FAILED': return t('the service did not answer as expected');
    case 'CANCELLED': return t('cancelled');
    default: return code ?? '?';
  }
}
