// Secret files (device keys, the central store's private key): created with
// mode 0600 from the first byte, and refused on load when group or others may
// read or write them. Plain functions over POSIX calls; thread-safe as far as
// the file system is.
#pragma once

#include <string>

#include "core/result.h"
#include "crypto/secret_bytes.h"

namespace feedback {

// Writes contents to a new file at path with mode 0600 (subject to the umask,
// which can only make it stricter). The data goes to a temporary 0600 file in
// the same folder first and is then linked into place, so a crash never leaves
// a half-written key and there is no moment when the file is more open than
// 0600. Fails with AlreadyExists if path exists (a key is never overwritten by
// accident: delete the old one deliberately first), IoError otherwise.
Status WriteSecretFile(const std::string& path, ByteView contents);

// Reads a secret file. PermissionDenied if any group/other permission bit is
// set (the message names the file, its mode and the fix `chmod 600 FILE`);
// NotFound if it is missing; InvalidArgument if it is not a regular file or is
// larger than 64 KiB; IoError otherwise.
Result<SecretBytes> ReadSecretFile(const std::string& path);

}  // namespace feedback
