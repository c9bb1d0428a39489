#include "wolfssl_config.h"

#include "sipring/crypto/trust_store.h"

#include <wolfssl/error-ssl.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

#include "file_check.h"
#include "tls_error_map.h"

namespace sipring::crypto {

struct trust_store::state {
  WOLFSSL_CERT_MANAGER* cm = nullptr;
  ~state() {
    if (cm) wolfSSL_CertManagerFree(cm);
  }
};

std::unique_ptr<trust_store> trust_store::load(const std::vector<std::string>& ca_files,
                                               const std::vector<std::string>& crl_files,
                                               std::string& error) {
  std::unique_ptr<trust_store> store(new trust_store());
  store->_state = std::make_unique<state>();
  auto& cm = store->_state->cm;
  cm = wolfSSL_CertManagerNew();
  if (!cm) {
    error = "cannot create a certificate manager";
    return nullptr;
  }
  if (ca_files.empty()) {
    error = "no CA file";
    return nullptr;
  }
  for (const auto& f : ca_files) {
    if (!detail::readable(f, error)) return nullptr;
    if (wolfSSL_CertManagerLoadCA(cm, f.c_str(), nullptr) != WOLFSSL_SUCCESS) {
      error = f + ": no usable PEM CA certificate in the file";
      return nullptr;
    }
  }
  if (!crl_files.empty()) {
    if (wolfSSL_CertManagerEnableCRL(cm, WOLFSSL_CRL_CHECKALL) != WOLFSSL_SUCCESS) {
      error = "cannot enable CRL checking";
      return nullptr;
    }
    for (const auto& f : crl_files) {
      if (!detail::readable(f, error)) return nullptr;
      if (wolfSSL_CertManagerLoadCRLFile(cm, f.c_str(), WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS) {
        error = f + ": not a PEM CRL signed by one of the CAs";
        return nullptr;
      }
    }
  }
  return store;
}

trust_store::~trust_store() = default;

tls_error trust_store::verify(const peer_certificate& cert) const {
  if (!cert.present || cert.der.empty()) return tls_error::no_certificate;
  auto* cm = _state->cm;
  // The peer's intermediates, nearest the root first; each is trusted only once it verifies.
  for (auto it = cert.chain_der.rbegin(); it != cert.chain_der.rend(); ++it) {
    const auto* der = it->data();
    const auto size = static_cast<long>(it->size());
    if (wolfSSL_CertManagerVerifyBuffer(cm, der, size, WOLFSSL_FILETYPE_ASN1) == WOLFSSL_SUCCESS)
      wolfSSL_CertManagerLoadCABuffer(cm, der, size, WOLFSSL_FILETYPE_ASN1);
  }
  int rc = wolfSSL_CertManagerVerifyBuffer(cm, cert.der.data(), static_cast<long>(cert.der.size()),
                                           WOLFSSL_FILETYPE_ASN1);
  if (rc == WOLFSSL_SUCCESS || rc == CRL_MISSING) return tls_error::none;  // no CRL for that CA
  const tls_error e = detail::from_wolfssl(rc);
  switch (e) {
    case tls_error::unknown_ca:
    case tls_error::expired:
    case tls_error::not_yet_valid:
    case tls_error::revoked:
      return e;
    default: return tls_error::bad_certificate;
  }
}

}  // namespace sipring::crypto
