// Names for people: turns party ids and account ids into "Claire Dubois (id 3f2a...)" and
// "Léa Martin's EUR account (…)", asking the engine once per party (cached) and falling
// back to the local key name, then to the bare id.
#ifndef ARGENTPOCHE_CLI_PARTIES_H_
#define ARGENTPOCHE_CLI_PARTIES_H_

#include <map>
#include <optional>
#include <string>

#include "argentpoche/v1/ledger.pb.h"
#include "cli/client.h"
#include "cli/key_store.h"

namespace argentpoche::cli {

class PartyDirectory {
 public:
  PartyDirectory(EngineClient& client, const KeyStore& keys) : client_(client), keys_(keys) {}

  // The registered party, or nullopt (not registered, or the engine cannot be asked).
  const std::optional<v1::Party>& Find(const std::string& party_id);
  // The display name, else the local key name, else the id.
  std::string Name(const std::string& party_id);
  // "Claire Dubois (id 3f2a0b1c4d5e6f70)".
  std::string Describe(const std::string& party_id);
  // "Léa Martin's EUR account (3f2a...:EUR)", "escrow (hold:c1...0)", "the bank (float:EUR)".
  std::string DescribeAccount(const std::string& account_id);

 private:
  EngineClient& client_;
  const KeyStore& keys_;
  std::map<std::string, std::optional<v1::Party>> cache_;
};

}  // namespace argentpoche::cli

#endif  // ARGENTPOCHE_CLI_PARTIES_H_
