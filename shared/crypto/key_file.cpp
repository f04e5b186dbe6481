#include "crypto/key_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace feedback {

namespace {

constexpr size_t kMaxSecretFileSize = 64 * 1024;

std::string Errno() { return std::strerror(errno); }

std::string OctalMode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// Closes a file descriptor on scope exit.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;
  int get() const { return fd_; }
  // Closes now and reports whether close() succeeded.
  bool Close() {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

Status WriteSecretFile(const std::string& path, ByteView contents) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    return Status::AlreadyExists("secret file '" + path +
                                 "' already exists; refusing to overwrite a key (remove it "
                                 "first if you mean to replace it)");
  }
  // mkstemp creates the file with mode 0600 and O_EXCL.
  std::string tmp = path + ".tmp-XXXXXX";
  const int raw_fd = ::mkstemp(tmp.data());
  if (raw_fd < 0) {
    return Status::IoError("cannot create a temporary file next to '" + path + "': " + Errno());
  }
  FdCloser fd(raw_fd);
  auto fail = [&](const std::string& what) {
    const std::string reason = Errno();
    ::unlink(tmp.c_str());
    return Status::IoError(what + " '" + tmp + "' (for '" + path + "'): " + reason);
  };
  size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd.get(), contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail("cannot write");
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd.get()) != 0) return fail("cannot fsync");
  if (!fd.Close()) return fail("cannot close");
  // link() fails if path appeared meanwhile, so an existing key is never replaced.
  if (::link(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    if (err == EEXIST) {
      return Status::AlreadyExists("secret file '" + path +
                                   "' already exists; refusing to overwrite a key");
    }
    return Status::IoError("cannot create '" + path + "': " + std::strerror(err));
  }
  ::unlink(tmp.c_str());
  const int dir_fd = ::open(DirectoryOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    FdCloser dir(dir_fd);
    if (::fsync(dir.get()) != 0) {
      return Status::IoError("cannot fsync the folder of '" + path + "': " + Errno());
    }
  }
  return Status::Ok();
}

Result<SecretBytes> ReadSecretFile(const std::string& path) {
  const int raw_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (raw_fd < 0) {
    if (errno == ENOENT) return Status::NotFound("secret file '" + path + "' does not exist");
    return Status::IoError("cannot open secret file '" + path + "': " + Errno());
  }
  FdCloser fd(raw_fd);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return Status::IoError("cannot stat secret file '" + path + "': " + Errno());
  }
  if (!S_ISREG(st.st_mode)) {
    return Status::InvalidArgument("secret file '" + path + "' is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    return Status::PermissionDenied(
        "secret file '" + path + "' has mode " + OctalMode(st.st_mode) +
        ", which lets group or others read or write it; refusing to use it. Fix: chmod 600 " +
        path + " (and consider the key exposed if others could read it)");
  }
  if (st.st_size < 0 || static_cast<size_t>(st.st_size) > kMaxSecretFileSize) {
    return Status::InvalidArgument("secret file '" + path + "' is larger than 64 KiB");
  }
  SecretBytes contents(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (done < contents.size()) {
    const ssize_t n = ::read(fd.get(), contents.data() + done, contents.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::IoError("cannot read secret file '" + path + "': " + Errno());
    if (n == 0) return Status::IoError("secret file '" + path + "' shrank while being read");
    done += static_cast<size_t>(n);
  }
  return contents;
}

}  // namespace feedback
