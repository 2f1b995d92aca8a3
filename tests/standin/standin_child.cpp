#include "standin/standin_child.hpp"

#include <cerrno>
#include <csignal>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>

namespace samvad::test::standin_detail {

namespace {

using json = nlohmann::json;

size_t append_to_string(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

// One unsigned request to a control API: the parsed JSON answer, or an exception.
json control_request(const std::string& url, const char* method, const std::string* body,
                     const std::filesystem::path& ca_file) {
  static const bool curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  CURL* curl = curl_ready ? curl_easy_init() : nullptr;
  if (!curl) throw std::runtime_error("libcurl failed to start");
  std::string response;
  curl_slist* headers = nullptr;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_to_string);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10'000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (!ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file.c_str());
  if (body) {
    headers = curl_slist_append(headers, "Content-Type: application/json");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
  }
  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  const std::string what = std::string(method) + " " + url;
  if (code != CURLE_OK) throw std::runtime_error(what + ": " + curl_easy_strerror(code));
  if (status < 200 || status > 299)
    throw std::runtime_error(what + ": HTTP " + std::to_string(status) + " " + response);
  json parsed = json::parse(response, nullptr, false);
  if (parsed.is_discarded()) throw std::runtime_error(what + ": the answer is not JSON: " + response);
  return parsed;
}

}  // namespace

Child::~Child() { stop(); }

const TempDir& Child::make_dir() {
  if (running()) throw std::logic_error("the stand-in is already running");
  dir_ = std::make_unique<TempDir>();
  return *dir_;
}

const std::filesystem::path& Child::dir() const {
  if (!dir_) throw std::logic_error("the stand-in has no folder before make_dir()");
  return dir_->path();
}

std::string Child::start(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  if (running()) throw std::logic_error("the stand-in is already running");
  std::vector<std::string> strings = argv;
  std::vector<char*> args;
  for (auto& a : strings) args.push_back(a.data());
  args.push_back(nullptr);
  const std::string stderr_path = (dir() / "stderr.txt").string();

  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(out[0]);
    ::close(out[1]);
    throw std::runtime_error("fork failed");
  }
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive a test run that crashed
    const int err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (err < 0 || ::dup2(out[1], STDOUT_FILENO) < 0 || ::dup2(err, STDERR_FILENO) < 0) ::_exit(127);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(out[1]);
  pid_ = pid;

  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (line.find('\n') == std::string::npos) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{out[0], POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) break;
    char buffer[256];
    const ssize_t n = ::read(out[0], buffer, sizeof buffer);
    if (n <= 0) break;  // it exited or closed stdout
    line.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(out[0]);
  return line;
}

void Child::fail(const std::string& what, const std::string& first_line) {
  const int status = stop();
  throw std::runtime_error(what + " did not start (exit status " + std::to_string(status) + ", stdout \"" + first_line +
                           "\"): " + stderr_text());
}

int Child::stop() {
  if (!running()) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  pid_t done = 0;
  while ((done = ::waitpid(pid_, &status, WNOHANG)) == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (done == 0) {
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string Child::stderr_text() const {
  if (!dir_) return "";
  try {
    return read_file(dir_->path() / "stderr.txt");
  } catch (const std::exception&) {
    return "";
  }
}

json control_get(const std::string& url, const std::filesystem::path& ca_file) {
  return control_request(url, "GET", nullptr, ca_file);
}

json control_post(const std::string& url, const json& body, const std::filesystem::path& ca_file) {
  const std::string text = body.dump();
  return control_request(url, "POST", &text, ca_file);
}

}  // namespace samvad::test::standin_detail
