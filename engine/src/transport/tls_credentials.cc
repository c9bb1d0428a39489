#include "sipring/transport/tls_credentials.h"

namespace sipring::transport {

std::shared_ptr<const tls_credentials> load_tls_credentials(
    const tls_settings& settings, const federation& partners,
    const std::shared_ptr<const crypto::session_ticket_keys>& tickets, std::string& error) {
  auto c = std::make_shared<tls_credentials>();
  crypto::tls_context_options o;
  o.role = crypto::tls_role::server;
  o.certificate_chain = settings.certificate;
  o.private_key = settings.private_key;
  o.trusted_cas = settings.client_cas;
  o.crls = settings.crls;
  o.verify = settings.client_certificates;
  if (settings.session_tickets) o.tickets = tickets;
  if (!(c->clients = crypto::tls_context::create(o, error))) return nullptr;

  if (!partners.empty()) {
    std::vector<std::string> all_cas, all_crls = settings.crls;
    for (const federation_partner& p : partners.partners()) {
      all_cas.insert(all_cas.end(), p.ca_files.begin(), p.ca_files.end());
      all_crls.insert(all_crls.end(), p.crl_files.begin(), p.crl_files.end());
      auto store = crypto::trust_store::load(p.ca_files, p.crl_files, error);
      if (!store) {
        error = "[[federation]] " + p.domain + ": " + error;
        return nullptr;
      }
      c->partner_trust.push_back(std::move(store));
    }
    o.trusted_cas = all_cas;
    o.crls = all_crls;
    o.verify = crypto::peer_verification::required;
    // No tickets on the federation port: a resumed session shows no certificate, and every
    // partner link must be identified by its certificate (links are long-lived anyway).
    o.tickets = nullptr;
    if (!(c->federation_server = crypto::tls_context::create(o, error))) return nullptr;
    o.role = crypto::tls_role::client;
    if (!(c->federation_client = crypto::tls_context::create(o, error))) return nullptr;
  }
  return c;
}

}  // namespace sipring::transport
