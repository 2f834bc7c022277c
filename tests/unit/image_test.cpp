// SPDX-License-Identifier: Apache-2.0
// daytona::image: exact Dockerfile text (goldens written out literally), quoting, validation,
// context entries and context hashes. No network; files live in a temporary directory.
#include <daytona/detail/md5.hpp>
#include <daytona/detail/shell_quote_js.hpp>
#include <daytona/image.hpp>

#include <gtest/gtest.h>

#include "text_files.hpp"

#include <unistd.h>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace dt = daytona;
namespace fs = std::filesystem;
using namespace std::string_literals;

namespace {

// ---- the API's shape ---------------------------------------------------------------------------

static_assert(!std::is_default_constructible_v<dt::image>, "an image needs a base");
static_assert(std::is_copy_constructible_v<dt::image> &&
              std::is_nothrow_move_constructible_v<dt::image>);
static_assert(std::is_same_v<decltype(dt::image::base("x").apt_get({"git", "curl"})), dt::image>,
              "a chain on a prvalue yields an image value");
static_assert(std::is_same_v<decltype(std::declval<dt::image&>().run("x")), dt::image&>,
              "a call on an lvalue returns a reference");
static_assert(std::is_same_v<decltype(dt::image::base("node:20-slim")
                                          .apt_get({"git", "curl"})
                                          .run("npm install -g @anthropic-ai/claude-code")
                                          .workdir("/workspace")
                                          .env("HOME", "/root")),
                             dt::image>);

// ---- helpers -----------------------------------------------------------------------------------

using daytona_test::write_file;

class scoped_env {
public:
    scoped_env(const char* name, const std::string& value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        ::setenv(name, value.c_str(), 1);
    }
    ~scoped_env() {
        if (old_)
            ::setenv(name_, old_->c_str(), 1);
        else
            ::unsetenv(name_);
    }
    scoped_env(const scoped_env&) = delete;
    scoped_env& operator=(const scoped_env&) = delete;

private:
    const char* name_;
    std::optional<std::string> old_;
};

class scoped_cwd {
public:
    explicit scoped_cwd(const fs::path& p) : old_(fs::current_path()) { fs::current_path(p); }
    ~scoped_cwd() { fs::current_path(old_); }
    scoped_cwd(const scoped_cwd&) = delete;
    scoped_cwd& operator=(const scoped_cwd&) = delete;

private:
    fs::path old_;
};

class ImageFiles : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() / ("daytona-image-test-" + std::to_string(::getpid()));
        fs::remove_all(root_);
        fs::create_directories(root_);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(root_, ec);
    }
    std::string path(std::string_view rel) const { return (root_ / rel).string(); }
    fs::path root_;
};

void expect_refused(const dt::image& img, dt::errc code, std::string_view method,
                    std::string_view argument) {
    auto v = img.validate();
    ASSERT_FALSE(v.has_value()) << img.dockerfile();
    EXPECT_EQ(v.error(), code) << v.error();
    EXPECT_NE(v.error().message().find("image::" + std::string(method)), std::string::npos)
        << v.error();
    EXPECT_NE(v.error().message().find("'" + std::string(argument) + "'"), std::string::npos)
        << v.error();
    EXPECT_EQ(v.error().operation(), "image::" + std::string(method));
}

constexpr std::string_view debian_tail =
    "RUN apt-get update\n"
    "RUN apt-get install -y gcc gfortran build-essential\n"
    "RUN pip install --upgrade pip\n"
    "RUN echo 'debconf debconf/frontend select Noninteractive' | debconf-set-selections\n";

// ---- the captured TypeScript example -----------------------------------------------------------

TEST(Image, MatchesTheCapturedTypeScriptExample) {
    // Image.debianSlim('3.12').pipInstall(['numpy','pandas'], {indexUrl:'https://x/simple',
    // pre:true}).runCommands('apt-get update', ['bash','-c','echo "hi" \'there\''])
    // .env({A:'hello world', B:"it's"}).workdir('/home/my dir').entrypoint(['sleep','infinity'])
    // .cmd(['bash']).dockerfileCommands(['RUN echo 1','USER root'])
    const dt::image img =
        dt::image::debian_slim("3.12")
            .pip_install({"numpy", "pandas"}, {.index_url = "https://x/simple", .pre = true})
            .run_commands({"apt-get update"})
            .run({"bash", "-c", "echo \"hi\" 'there'"})
            .env({{"A", "hello world"}, {"B", "it's"}})
            .workdir("/home/my dir")
            .entrypoint({"sleep", "infinity"})
            .cmd({"bash"})
            .dockerfile_commands({"RUN echo 1", "USER root"});
    // Every line is the SDK's except the exec-form RUN: the SDK writes the broken
    //   RUN "bash" "-c" "echo \\\"hi\\\" \'there\'"
    EXPECT_EQ(img.dockerfile(),
              "FROM python:3.12.10-slim-bookworm\n"
              "RUN apt-get update\n"
              "RUN apt-get install -y gcc gfortran build-essential\n"
              "RUN pip install --upgrade pip\n"
              "RUN echo 'debconf debconf/frontend select Noninteractive' | debconf-set-selections\n"
              "RUN python -m pip install numpy pandas --index-url https\\://x/simple --pre\n"
              "RUN apt-get update\n"
              "RUN [\"bash\", \"-c\", \"echo \\\"hi\\\" 'there'\"]\n"
              "ENV A='hello world'\n"
              "ENV B=\"it's\"\n"
              "WORKDIR '/home/my dir'\n"
              "ENTRYPOINT [\"sleep\", \"infinity\"]\n"
              "CMD [\"bash\"]\n"
              "RUN echo 1\n"
              "USER root\n");
    EXPECT_TRUE(img.validate().has_value());
    EXPECT_TRUE(img.context().empty());
}

TEST(Image, CookBackendImage) {
    auto img = dt::image::base("node:20-slim")
                   .apt_get({"git", "curl", "ripgrep"})
                   .run("npm install -g @anthropic-ai/claude-code")
                   .workdir("/workspace")
                   .env("HOME", "/root")
                   .env("TERM", "xterm-256color");
    EXPECT_EQ(img.dockerfile(),
              "FROM node:20-slim\n"
              "RUN apt-get update && apt-get install -y git curl ripgrep && rm -rf "
              "/var/lib/apt/lists/*\n"
              "RUN npm install -g @anthropic-ai/claude-code\n"
              "WORKDIR /workspace\n"
              "ENV HOME=/root\n"
              "ENV TERM=xterm-256color\n");
    EXPECT_TRUE(img.validate().has_value());
}

// ---- quoting -----------------------------------------------------------------------------------

TEST(ShellQuoteJs, TheReferenceTable) {
    using dt::detail::js::shell_quote;
    const std::vector<std::pair<std::string, std::string>> table = {
        {"hello world", "'hello world'"},
        {"it's", "\"it's\""},
        {"it's!", "'it'\"'\"'s!'"},
        {"say \"hi\"", "'say \"hi\"'"},
        {"a\\b", "'a\\b'"},
        {"https://x/simple", "https\\://x/simple"},
        {"numpy>=1.0", "numpy\\>\\=1.0"},
        {"pkg[extra]", "pkg\\[extra\\]"},
        {"a,b", "a\\,b"},
        {"$HOME", "\\$HOME"},
        {"\xc3\xa9", "\xc3\xa9"},
    };
    for (const auto& [in, out] : table)
        EXPECT_EQ(shell_quote(in), out) << in;
}

TEST(ShellQuoteJs, EveryRule) {
    using dt::detail::js::shell_quote;
    EXPECT_EQ(shell_quote(""), "''");
    // Rule 2: both ' and ! -> single quotes with '"'"' glue, whatever else is inside.
    EXPECT_EQ(shell_quote("don't panic!"), "'don'\"'\"'t panic!'");
    EXPECT_EQ(shell_quote("'!"), "''\"'\"'!'");
    // Rule 3: ", whitespace or \ and no ' -> single quotes; ! stays inside them.
    EXPECT_EQ(shell_quote("a b!"), "'a b!'");
    EXPECT_EQ(shell_quote("tab\there"), "'tab\there'");
    EXPECT_EQ(shell_quote("$x \"y\" `z`"), "'$x \"y\" `z`'");
    // Rule 4: ' without ! -> double quotes, with " \ $ ` escaped.
    EXPECT_EQ(shell_quote("it's \"$x\" `y` \\z"), "\"it's \\\"\\$x\\\" \\`y\\` \\\\z\"");
    EXPECT_EQ(shell_quote("'"), "\"'\"");
    // JavaScript's \s includes Unicode whitespace: U+00A0, U+2028, U+3000, U+FEFF...
    EXPECT_EQ(shell_quote("a\xc2\xa0"
                          "b"),
              "'a\xc2\xa0"
              "b'");
    EXPECT_EQ(shell_quote("a\xe2\x80\xa8"
                          "b"),
              "'a\xe2\x80\xa8"
              "b'");
    EXPECT_EQ(shell_quote("x\xef\xbb\xbf"), "'x\xef\xbb\xbf'");
    EXPECT_EQ(shell_quote("it's\xe3\x80\x80"), "\"it's\xe3\x80\x80\"");
    // ...but not U+0085, nor control characters other than \t \n \v \f \r.
    EXPECT_EQ(shell_quote("a\xc2\x85"
                          "b"),
              "a\xc2\x85"
              "b");
    EXPECT_EQ(shell_quote("a\x01\x7f"), "a\x01\x7f");
    EXPECT_EQ(shell_quote("v\vf\f"), "'v\vf\f'");
    // Rule 5: every special character escaped...
    EXPECT_EQ(shell_quote("#!$&()*,;<=>?@[]^{|}~"),
              "\\#\\!\\$\\&\\(\\)\\*\\,\\;\\<\\=\\>\\?\\@\\[\\]\\^\\{\\|\\}\\~");
    EXPECT_EQ(shell_quote("%+-./_09"), "%+-./_09");
    // ...except a colon between an ASCII letter and another special character.
    EXPECT_EQ(shell_quote("C:;"), "C:\\;");
    EXPECT_EQ(shell_quote("a:b"), "a\\:b");
    EXPECT_EQ(shell_quote("C:"), "C\\:");
    EXPECT_EQ(shell_quote("a::"), "a:\\:");
    EXPECT_EQ(shell_quote("a:::"), "a:\\:\\:");
    EXPECT_EQ(shell_quote("1:;"), "1\\:\\;");
    EXPECT_EQ(shell_quote("\xc3\xa9:;"), "\xc3\xa9\\:\\;");
    EXPECT_EQ(shell_quote("x:y:$"), "x\\:y:\\$");
}

TEST(Image, EnvAndWorkdirAreQuotedForDockersLexer) {
    // Docker keeps the backslash of \` inside double quotes, so a value that shell-quote would
    // double-quote and that holds a backquote is written single-quoted instead.
    auto img = dt::image::base("b").env("A", "it's `x`").workdir("it's `d`");
    EXPECT_EQ(img.dockerfile(), "FROM b\nENV A='it'\"'\"'s `x`'\nWORKDIR 'it'\"'\"'s `d`'\n");
    // Docker splits words at U+0085; shell-quote leaves it bare.
    EXPECT_EQ(dt::image::base("b").env("A", "x\xc2\x85y").dockerfile(),
              "FROM b\nENV A='x\xc2\x85y'\n");
    // Anything else exactly as shell-quote writes it.
    EXPECT_EQ(dt::image::base("b").env("A", "`x` y").env("B", "it's $x").dockerfile(),
              "FROM b\nENV A='`x` y'\nENV B=\"it's \\$x\"\n");
    // In RUN lines a shell reads the text, and shell-quote's choice is right.
    EXPECT_EQ(dt::image::base("b").pip_install({"it's `x`"}).dockerfile(),
              "FROM b\nRUN python -m pip install \"it's \\`x\\`\"\n");
}

// ---- starting points ---------------------------------------------------------------------------

TEST(Image, BaseIsVerbatim) {
    EXPECT_EQ(dt::image::base("python:3.12-slim").dockerfile(), "FROM python:3.12-slim\n");
    EXPECT_EQ(dt::image::base("--platform=linux/amd64 node:20 AS build").dockerfile(),
              "FROM --platform=linux/amd64 node:20 AS build\n");
}

TEST(Image, DebianSlimVersions) {
    EXPECT_EQ(dt::image::debian_slim().dockerfile(),
              "FROM python:3.13.3-slim-bookworm\n" + std::string(debian_tail));
    const std::map<std::string, std::string> series = {{"3.9", "3.9.22"},
                                                       {"3.10", "3.10.17"},
                                                       {"3.11", "3.11.12"},
                                                       {"3.12", "3.12.10"},
                                                       {"3.13", "3.13.3"}};
    for (const auto& [s, full] : series)
        EXPECT_EQ(dt::image::debian_slim(s).dockerfile(),
                  "FROM python:" + full + "-slim-bookworm\n" + std::string(debian_tail));
    EXPECT_EQ(dt::image::debian_slim("3.11.4").dockerfile(),
              "FROM python:3.11.4-slim-bookworm\n" + std::string(debian_tail));
    for (std::string_view bad : {"2.7", "3.8", "3.14", "3", "3.12.", "3.12.x", "latest", "3.1"}) {
        auto img = dt::image::debian_slim(bad);
        expect_refused(img, dt::errc::invalid_argument, "debian_slim", "python_version");
        EXPECT_EQ(img.dockerfile(), "");
    }
}

// ---- every method ------------------------------------------------------------------------------

TEST(Image, AptGetIsOneQuotedLine) {
    EXPECT_EQ(
        dt::image::base("b").apt_get({"git", "libssl-dev", "python3=3.11*", "a b"}).dockerfile(),
        "FROM b\nRUN apt-get update && apt-get install -y git libssl-dev python3\\=3.11\\* "
        "'a b' && rm -rf /var/lib/apt/lists/*\n");
    EXPECT_EQ(dt::image::base("b").apt_get({}).dockerfile(), "FROM b\n");
    std::vector<std::string> pkgs{"curl"};
    EXPECT_EQ(
        dt::image::base("b").apt_get(pkgs).dockerfile(),
        "FROM b\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n");
}

TEST(Image, PipInstallSortsLikeJavaScriptAndAppendsOptionsInOrder) {
    auto img = dt::image::base("b").pip_install(
        {"pandas", "Numpy", "numpy>=1.0", "pkg[extra]", ""},
        dt::pip_options{.find_links = {"https://f/1", "./wheels dir"},
                        .index_url = "https://pypi.org/simple",
                        .extra_index_urls = {"https://e/1", "https://e/2"},
                        .pre = true,
                        .extra_options = "  --no-cache-dir -v \n"});
    EXPECT_EQ(img.dockerfile(),
              "FROM b\nRUN python -m pip install '' Numpy numpy\\>\\=1.0 pandas pkg\\[extra\\] "
              "--find-links https\\://f/1 --find-links './wheels dir' --index-url "
              "https\\://pypi.org/simple --extra-index-url https\\://e/1 --extra-index-url "
              "https\\://e/2 --pre --no-cache-dir -v\n");
    // UTF-16 order: U+FFFD and U+FEFF sort after an astral character.
    EXPECT_EQ(dt::image::base("b")
                  .pip_install({"\xef\xbf\xbd", "\xf0\x9f\x98\x80",
                                "\xef\xbb\xbf"
                                "a",
                                "z"})
                  .dockerfile(),
              "FROM b\nRUN python -m pip install z \xf0\x9f\x98\x80 '\xef\xbb\xbf"
              "a' \xef\xbf\xbd\n");
    EXPECT_EQ(dt::image::base("b").pip_install({}, {.pre = true}).dockerfile(), "FROM b\n");
    // Whitespace-only extra options still add the separating space, as the SDK does.
    EXPECT_EQ(dt::image::base("b").pip_install({"x"}, {.extra_options = "   "}).dockerfile(),
              "FROM b\nRUN python -m pip install x \n");
}

TEST(Image, RunShellAndExecForms) {
    auto img = dt::image::base("b")
                   .run("echo \"$HOME\" && ls | wc -l")
                   .run(std::vector<std::string>{"bash", "-c", "echo \"hi\" \\ 'x'\n"})
                   .run({"echo hi"})
                   .run_commands({"a", "b c"});
    EXPECT_EQ(img.dockerfile(),
              "FROM b\n"
              "RUN echo \"$HOME\" && ls | wc -l\n"
              "RUN [\"bash\", \"-c\", \"echo \\\"hi\\\" \\\\ 'x'\\n\"]\n"
              "RUN [\"echo hi\"]\n"
              "RUN a\n"
              "RUN b c\n");
    EXPECT_TRUE(img.validate().has_value());
}

TEST(Image, EntrypointAndCmdAreValidJson) {
    // The SDK writes ["say "hi"", "a\b"] here, which is not JSON (Docker then falls back to the
    // shell form and runs something else).
    auto img = dt::image::base("b")
                   .entrypoint({"say \"hi\"", "a\\b", "tab\t", "\x01"})
                   .cmd({"--port", "8080"})
                   .cmd({})
                   .entrypoint({});
    EXPECT_EQ(img.dockerfile(),
              "FROM b\n"
              "ENTRYPOINT [\"say \\\"hi\\\"\", \"a\\\\b\", \"tab\\t\", \"\\u0001\"]\n"
              "CMD [\"--port\", \"8080\"]\n"
              "CMD []\n"
              "ENTRYPOINT []\n");
}

TEST(Image, EnvForms) {
    std::map<std::string, std::string> m{{"B", "2"}, {"A", "1"}};
    std::vector<std::pair<std::string, std::string>> v{{"Z", "x y"}, {"Z", "again"}};
    auto img = dt::image::base("b").env("K", "").env({{"X", "1"}, {"Y", "it's"}}).env(m).env(v);
    EXPECT_EQ(
        img.dockerfile(),
        "FROM b\nENV K=''\nENV X=1\nENV Y=\"it's\"\nENV A=1\nENV B=2\nENV Z='x y'\nENV Z=again\n");
}

TEST(Image, WorkdirAndUser) {
    EXPECT_EQ(dt::image::base("b")
                  .workdir("/srv/app")
                  .workdir("/a b")
                  .user("1000:1000")
                  .user("app")
                  .dockerfile(),
              "FROM b\nWORKDIR /srv/app\nWORKDIR '/a b'\nUSER 1000:1000\nUSER app\n");
}

TEST(Image, DockerfileCommandsAreRaw) {
    EXPECT_EQ(
        dt::image::base("b")
            .dockerfile_commands({"RUN set -e; \\", "  echo \"multi\"", "HEALTHCHECK CMD true"})
            .dockerfile(),
        "FROM b\nRUN set -e; \\\n  echo \"multi\"\nHEALTHCHECK CMD true\n");
    EXPECT_EQ(dt::image::base("b").dockerfile_commands({}).dockerfile(), "FROM b\n\n");
}

TEST(Image, CopiesAreValues) {
    auto a = dt::image::base("b").run("x");
    auto b = a;
    b.run("y");
    EXPECT_EQ(a.dockerfile(), "FROM b\nRUN x\n");
    EXPECT_EQ(b.dockerfile(), "FROM b\nRUN x\nRUN y\n");
    EXPECT_FALSE(a == b);
    EXPECT_TRUE(a == dt::image::base("b").run("x"));
    EXPECT_FALSE(dt::image::base("b") == dt::image::base("b").run(""));
}

// ---- validation --------------------------------------------------------------------------------

TEST(ImageValidation, RefusesValuesNoDockerfileCanCarry) {
    using dt::errc;
    struct refusal {
        dt::image img;
        std::string_view method, argument;
    };
    const std::string nul("a\0b", 3);
    const std::vector<refusal> cases = {
        {dt::image::base("python\nRUN evil"), "base", "image_ref"},
        {dt::image::base(""), "base", "image_ref"},
        {dt::image::base("python:3 \\"), "base", "image_ref"},
        {dt::image::base("b").env("A", "x\nRUN evil"), "env", "value"},
        {dt::image::base("b").env("A", "x\rRUN evil"), "env", "value"},
        {dt::image::base("b").env("A", nul), "env", "value"},
        {dt::image::base("b").env("", "v"), "env", "key"},
        {dt::image::base("b").env("A B", "v"), "env", "key"},
        {dt::image::base("b").env("A=B", "v"), "env", "key"},
        {dt::image::base("b").env("A\n", "v"), "env", "key"},
        {dt::image::base("b").env({{"OK", "1"}, {"BAD", "\n"}}), "env", "value"},
        {dt::image::base("b").workdir("/a\nUSER root"), "workdir", "path"},
        {dt::image::base("b").workdir(""), "workdir", "path"},
        {dt::image::base("b").user("root\nRUN evil"), "user", "name"},
        {dt::image::base("b").user(""), "user", "name"},
        {dt::image::base("b").user("a b"), "user", "name"},
        {dt::image::base("b").user("$USER"), "user", "name"},
        {dt::image::base("b").run("echo\nUSER root"), "run", "command"},
        {dt::image::base("b").run("echo \\"), "run", "command"},
        {dt::image::base("b").run("echo \\  \t"), "run", "command"},
        {dt::image::base("b").run("  "), "run", "command"},
        {dt::image::base("b").run("cat > f <<EOF"), "run", "command"},
        {dt::image::base("b").run("cat 2<<-'EOF'"), "run", "command"},
        {dt::image::base("b").run(std::vector<std::string>{}), "run", "argv"},
        {dt::image::base("b").run({"a", nul}), "run", "argv"},
        {dt::image::base("b").run_commands({"ok", "bad\n"}), "run_commands", "commands"},
        {dt::image::base("b").apt_get({"git", "x\ny"}), "apt_get", "packages"},
        {dt::image::base("b").apt_get({"git", ""}), "apt_get", "packages"},
        {dt::image::base("b").pip_install({"a\nb"}), "pip_install", "packages"},
        {dt::image::base("b").pip_install({"a"}, {.find_links = {"x\n"}}), "pip_install",
         "options.find_links"},
        {dt::image::base("b").pip_install({"a"}, {.index_url = "u\r"}), "pip_install",
         "options.index_url"},
        {dt::image::base("b").pip_install({"a"}, {.extra_index_urls = {"\n"}}), "pip_install",
         "options.extra_index_urls"},
        {dt::image::base("b").pip_install({"a"}, {.extra_options = "-v\nRUN evil"}), "pip_install",
         "options.extra_options"},
        {dt::image::base("b").pip_install({"a"}, {.extra_options = "-v \\"}), "pip_install",
         "options.extra_options"},
        {dt::image::base("b").entrypoint({"a", nul}), "entrypoint", "argv"},
        {dt::image::base("b").cmd({nul}), "cmd", "argv"},
        {dt::image::base("b").dockerfile_commands({"RUN a", nul}), "dockerfile_commands", "lines"},
        {dt::image::base("b").env("A", "\xff"), "env", "value"},
        {dt::image::base("b").run({"\xc3"}), "run", "argv"},
        {dt::image::base("b").add_local_file("/etc/hostname", "/a\nb"), "add_local_file",
         "remote_path"},
        {dt::image::base("b").add_local_file("/etc/hostname", ""), "add_local_file", "remote_path"},
        {dt::image::base("b").add_local_file("/etc/hostname", "/$HOME"), "add_local_file",
         "remote_path"},
        {dt::image::base("b").add_local_file("/etc/host*", "/x"), "add_local_file", "local_path"},
        {dt::image::base("b").add_local_dir("/etc/\"x\"", "/x"), "add_local_dir", "local_path"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.method) + " " + std::string(c.argument));
        expect_refused(c.img, errc::invalid_argument, c.method, c.argument);
        // Never an injected instruction: the refused call wrote nothing.
        const std::string& text = c.img.dockerfile();
        EXPECT_TRUE(text.empty() || text == "FROM b\n") << text;
    }
}

TEST(ImageValidation, KeepsTheFirstErrorAndGoesOn) {
    auto img = dt::image::base("b")
                   .run("echo 1")
                   .env("A", "bad\nvalue")
                   .workdir("")
                   .run("echo 2")
                   .env({{"B", "1"}, {"C", "\n"}})
                   .user("app");
    EXPECT_EQ(img.dockerfile(), "FROM b\nRUN echo 1\nRUN echo 2\nUSER app\n");
    auto v = img.validate();
    ASSERT_FALSE(v.has_value());
    EXPECT_EQ(v.error(), dt::errc::invalid_argument);
    EXPECT_EQ(v.error(), dt::condition::bad_request);
    EXPECT_EQ(v.error().message(),
              "argument 'value' of image::env contains a line break, which would end the "
              "Dockerfile instruction and start another");
    EXPECT_THROW(v.value(), dt::api_error);
    auto hashes = img.context_hashes();
    ASSERT_FALSE(hashes.has_value());
    EXPECT_EQ(hashes.error().message(), v.error().message());
}

TEST(ImageValidation, ValuesThatAreFine) {
    // JSON-escaped forms carry line breaks; raw lines carry anything but NUL.
    auto img = dt::image::base("b")
                   .run({"printf", "a\nb"})
                   .entrypoint({"x\ny"})
                   .cmd({"\r"})
                   .dockerfile_commands({"RUN a \\", "  b", "# comment\r"})
                   .env("UNICODE", "\xe4\xb8\xad\xf0\x9f\x98\x80")
                   .workdir("/tmp/x\\y");
    EXPECT_TRUE(img.validate().has_value()) << img.validate().error();
}

// ---- local files and context entries -----------------------------------------------------------

TEST_F(ImageFiles, AddLocalFileAndDir) {
    write_file(root_ / "req.txt", "numpy\n");
    write_file(root_ / "src" / "main.py", "print(1)\n");
    auto img = dt::image::base("b")
                   .add_local_file(path("req.txt"), "/app/")
                   .add_local_file(path("req.txt"), "/app/requirements.txt")
                   .add_local_dir(path("src"), "/app/src");
    EXPECT_EQ(img.dockerfile(), "FROM b\nCOPY " + path("req.txt") + " /app/req.txt\nCOPY " +
                                    path("req.txt") + " /app/requirements.txt\nCOPY " +
                                    path("src") + " /app/src\n");
    ASSERT_EQ(img.context().size(), 3u);
    EXPECT_EQ(img.context()[0], (dt::context_entry{path("req.txt"), path("req.txt")}));
    EXPECT_EQ(img.context()[2], (dt::context_entry{path("src"), path("src")}));
    EXPECT_TRUE(img.validate().has_value());
}

TEST_F(ImageFiles, TildeIsExpandedWithHome) {
    write_file(root_ / "home" / "req.txt", "x");
    scoped_env home("HOME", path("home"));
    auto img = dt::image::base("b")
                   .add_local_file("~/req.txt", "/r/")
                   .pip_install_from_requirements("~/req.txt");
    EXPECT_EQ(img.dockerfile(), "FROM b\nCOPY " + path("home/req.txt") + " /r/req.txt\nCOPY " +
                                    path("home/req.txt") +
                                    " /.requirements.txt\nRUN python -m pip install -r "
                                    "/.requirements.txt\n");
    EXPECT_EQ(img.context()[0].source_path, path("home/req.txt"));
    // `~name` is not the current user's home: left alone (and so not found here).
    expect_refused(dt::image::base("b").add_local_file("~nobody/x", "/x"), dt::errc::io_error,
                   "add_local_file", "local_path");
}

TEST_F(ImageFiles, CopyPathsThatTheShellFormWouldSplitUseTheJsonForm) {
    write_file(root_ / "my file.txt", "x");
    write_file(root_ / "-dash", "x");
    auto img = dt::image::base("b")
                   .add_local_file(path("my file.txt"), "/app/")
                   .add_local_file(path("-dash"), "/d")
                   .add_local_dir(root_.string(), "/with space");
    {
        scoped_cwd cwd(root_);
        img.add_local_file("-dash", "/d2");
    }
    EXPECT_EQ(img.dockerfile(), "FROM b\nCOPY [\"" + path("my file.txt") +
                                    "\", \"/app/my file.txt\"]\n" + "COPY " + path("-dash") +
                                    " /d\n" + "COPY [\"" + root_.string() +
                                    "\", \"/with space\"]\n" + "COPY [\"-dash\", \"/d2\"]\n");
}

TEST_F(ImageFiles, MissingOrWrongKindOfFiles) {
    write_file(root_ / "f", "x");
    expect_refused(dt::image::base("b").add_local_file(path("nope"), "/x"), dt::errc::io_error,
                   "add_local_file", "local_path");
    expect_refused(dt::image::base("b").add_local_file(root_.string(), "/x"),
                   dt::errc::invalid_argument, "add_local_file", "local_path");
    expect_refused(dt::image::base("b").add_local_dir(path("f"), "/x"), dt::errc::invalid_argument,
                   "add_local_dir", "local_path");
    expect_refused(dt::image::base("b").pip_install_from_requirements(path("nope")),
                   dt::errc::io_error, "pip_install_from_requirements", "path");
    expect_refused(dt::image::base("b").pip_install_from_pyproject(path("nope")),
                   dt::errc::io_error, "pip_install_from_pyproject", "path");
    expect_refused(dt::image::from_dockerfile(path("nope")), dt::errc::io_error, "from_dockerfile",
                   "path");
    expect_refused(dt::image::from_dockerfile(root_.string()), dt::errc::invalid_argument,
                   "from_dockerfile", "path");
    expect_refused(dt::image::base("b").dockerfile_commands({"RUN x"}, path("nope")),
                   dt::errc::io_error, "dockerfile_commands", "context_dir");
    auto img = dt::image::base("b").add_local_file(path("nope"), "/x").run("ok");
    EXPECT_EQ(img.dockerfile(), "FROM b\nRUN ok\n");
    EXPECT_TRUE(img.context().empty());
}

TEST_F(ImageFiles, RequirementsAndPyproject) {
    write_file(root_ / "requirements.txt", "x\n");
    write_file(root_ / "pyproject.toml", R"(
[build-system]
requires = ["hatchling"]

[project]
name = "demo"   # comment
classifiers = ["A :: B"]
dependencies = [
    "requests>=2",   # http
    'numpy',
    """multi""",
    "esc\u00e9\"q",
]
version = "1.0"

[project.optional-dependencies]
dev = ["pytest", "ruff"]
"docs" = ['sphinx']

[[tool.x]]
dependencies = ["ignored"]
)");
    auto img = dt::image::base("b")
                   .pip_install_from_requirements(path("requirements.txt"), {.pre = true})
                   .pip_install_from_pyproject(path("pyproject.toml"))
                   .pip_install_from_pyproject(path("pyproject.toml"), {"dev", "missing", "docs"},
                                               {.index_url = "https://i"});
    EXPECT_EQ(img.dockerfile(),
              "FROM b\nCOPY " + path("requirements.txt") +
                  " /.requirements.txt\n"
                  "RUN python -m pip install -r /.requirements.txt --pre\n"
                  "RUN python -m pip install 'esc\xc3\xa9\"q' multi numpy requests\\>\\=2\n"
                  "RUN python -m pip install 'esc\xc3\xa9\"q' multi numpy pytest requests\\>\\=2 "
                  "ruff sphinx --index-url https\\://i\n");
    ASSERT_EQ(img.context().size(), 1u);
    EXPECT_EQ(img.context()[0].archive_path, path("requirements.txt"));
    EXPECT_TRUE(img.validate().has_value()) << img.validate().error();
}

TEST_F(ImageFiles, PyprojectInlineTablesAndErrors) {
    write_file(root_ / "inline.toml",
               "[project]\noptional-dependencies = { a = [\"x\"], 'b' = ['y'] }\n"
               "dependencies = ['''lit\\n''']\n");
    EXPECT_EQ(
        dt::image::base("b").pip_install_from_pyproject(path("inline.toml"), {"b"}).dockerfile(),
        "FROM b\nRUN python -m pip install 'lit\\n' y\n");
    write_file(root_ / "dotted.toml",
               "[project]\ndependencies = []\noptional-dependencies.g = [\"z\"]\n");
    EXPECT_EQ(
        dt::image::base("b").pip_install_from_pyproject(path("dotted.toml"), {"g"}).dockerfile(),
        "FROM b\nRUN python -m pip install z\n");
    write_file(root_ / "nodeps.toml", "[project]\nname = \"x\"\n");
    expect_refused(dt::image::base("b").pip_install_from_pyproject(path("nodeps.toml")),
                   dt::errc::invalid_argument, "pip_install_from_pyproject", "path");
    EXPECT_NE(dt::image::base("b")
                  .pip_install_from_pyproject(path("nodeps.toml"))
                  .validate()
                  .error()
                  .message()
                  .find("No [project.dependencies] section"),
              std::string::npos);
    write_file(root_ / "nonstring.toml", "[project]\ndependencies = [\"a\", 1]\n");
    expect_refused(dt::image::base("b").pip_install_from_pyproject(path("nonstring.toml")),
                   dt::errc::invalid_argument, "pip_install_from_pyproject", "path");
    write_file(root_ / "broken.toml", "[project\ndependencies = [\"a\"]\n");
    expect_refused(dt::image::base("b").pip_install_from_pyproject(path("broken.toml")),
                   dt::errc::invalid_argument, "pip_install_from_pyproject", "path");
    write_file(root_ / "newline.toml", "[project]\ndependencies = [\"a\\nRUN evil\"]\n");
    expect_refused(dt::image::base("b").pip_install_from_pyproject(path("newline.toml")),
                   dt::errc::invalid_argument, "pip_install_from_pyproject", "packages");
}

TEST_F(ImageFiles, FromDockerfileKeepsTheTextAndFindsCopySources) {
    const fs::path d = root_ / "proj";
    write_file(d / "a.txt", "a");
    write_file(d / "b.txt", "b");
    write_file(d / "app" / "x.py", "x");
    write_file(d / "app" / "y.py", "y");
    write_file(d / "app" / "pkg" / "z.py", "z");
    write_file(d / "app" / ".hidden.py", "h");
    write_file(d / "space dir" / "f", "f");
    fs::create_directories(d / "assets");
    const std::string text =
        "# syntax=docker/dockerfile:1\n"
        "FROM python:3.12 AS base\n"
        "COPY a.txt /a.txt\n"
        "COPY --chown=1:1 --link [ab].txt /x/\n"
        "COPY [\"app/*.py\", \"/py/\"]\n"
        "copy app/**/z.py \\\n"
        "  # a comment inside the continuation\n"
        "  assets /dst/\n"
        "COPY --from=base /a.txt /b.txt\n"
        "COPY <<EOF /etc/x\nCOPY inside-heredoc /x\nEOF\n"
        "RUN <<-'END' bash\n\tCOPY not-a-source /x\n\tEND\n"
        "COPY \"space dir\" /s\n"
        "COPY [bad json /x\n"
        "COPY missing.txt /m\n"
        "RUN echo done";
    write_file(d / "Dockerfile", text);
    auto img = dt::image::from_dockerfile((d / "Dockerfile").string());
    EXPECT_EQ(img.dockerfile(), text);
    const std::string p = d.string() + "/";
    std::vector<dt::context_entry> expected = {
        {p + "a.txt", "a.txt"},
        {p + "a.txt", "a.txt"},
        {p + "b.txt", "b.txt"},
        {p + "app/.hidden.py", "app/.hidden.py"},
        {p + "app/x.py", "app/x.py"},
        {p + "app/y.py", "app/y.py"},
        {p + "app/pkg/z.py", "app/pkg/z.py"},
        {p + "assets", "assets"},
        {p + "space dir", "space dir"},
        {p + "[bad", "[bad"},  // not JSON: the shell form, as Docker reads it
        {p + "json", "json"},
        {p + "missing.txt", "missing.txt"},
    };
    // Differences from the official SDK: the heredoc's body is not scanned for COPY lines,
    // `app/**/z.py` (shell form) is expanded rather than dropped, and `[ab].txt` and `[bad json`
    // are read as the shell form rather than as broken JSON.
    EXPECT_EQ(img.context(), expected);
    // The next instruction starts on its own line although the file lacks a final newline.
    img.run("echo after");
    EXPECT_EQ(img.dockerfile(), text + "\nRUN echo after\n");
}

TEST_F(ImageFiles, DockerfileCommandsWithAContextDirectory) {
    const fs::path d = root_ / "ctx";
    write_file(d / "a.txt", "a");
    write_file(d / "lib" / "m.py", "m");
    write_file(d / "ctxfile", "c");
    scoped_cwd cwd(root_);
    auto img = dt::image::base("b")
                   .dockerfile_commands({"COPY a.txt lib /dst/", "COPY ctxfile /c"}, "./ctx")
                   .dockerfile_commands({"COPY ctx/a.txt /a"})
                   .dockerfile_commands({"COPY " + (d / "a.txt").string() + " /abs"}, "ctx/");
    std::vector<dt::context_entry> expected = {
        {"ctx/a.txt", "a.txt"},     {"ctx/lib", "lib"},
        {"ctx/ctxfile", "ctxfile"},  // the SDK would write "ctx/ctxfile" here (a prefix test)
        {"ctx/a.txt", "ctx/a.txt"}, {(d / "a.txt").string(), (d / "a.txt").string()},
    };
    EXPECT_EQ(img.context(), expected);
    EXPECT_EQ(img.dockerfile(),
              "FROM b\nCOPY a.txt lib /dst/\nCOPY ctxfile /c\nCOPY ctx/a.txt /a\nCOPY " +
                  (d / "a.txt").string() + " /abs\n");
}

// ---- hashes ------------------------------------------------------------------------------------

TEST(Md5, Rfc1321Vectors) {
    using dt::detail::md5_hex;
    EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_EQ(md5_hex("a"), "0cc175b9c0f1b6a831c399e269772661");
    EXPECT_EQ(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
    EXPECT_EQ(md5_hex("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
    EXPECT_EQ(md5_hex("abcdefghijklmnopqrstuvwxyz"), "c3fcd3d76192e4007dfb496cca67e13b");
    EXPECT_EQ(md5_hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
              "d174ab98d277d9f5a5611c2c9f419d9f");
    EXPECT_EQ(md5_hex("1234567890123456789012345678901234567890123456789012345678901234567890123456"
                      "7890"),
              "57edf4a22be3c955ac49da2e2107b67a");
    // Fed in uneven pieces.
    dt::detail::md5_hasher h;
    std::string msg(1000, 'x');
    for (std::size_t i = 0; i < msg.size(); i += 37)
        h.update(std::string_view(msg).substr(i, 37));
    EXPECT_EQ(h.finish_hex(), md5_hex(msg));
}

TEST_F(ImageFiles, ContextHashOfAFile) {
    write_file(root_ / "a.txt", "hello world\n");
    auto h = dt::context_hash({path("a.txt"), "a.txt"});
    ASSERT_TRUE(h.has_value()) << h.error();
    EXPECT_EQ(*h, "1b3a6e47aa32a3ad319b268e2daf1576");  // md5("a.txt" "hello world\n")
}

TEST_F(ImageFiles, ContextHashOfADirectory) {
    const fs::path d = root_ / "ctx";
    write_file(d / "b.txt", "B");  // created before a.txt: the walk sorts by name
    write_file(d / "a.txt", "A");
    write_file(d / "sub" / "c.txt", "C");
    fs::create_directories(d / "sub" / "empty");
    fs::create_directories(d / "z");
    fs::create_symlink(d / "a.txt", d / "z" / "link");  // skipped: z counts as empty
    fs::create_symlink(d / "sub", d / "dirlink");       // skipped
    // md5("ctx" "a.txt" "A" "b.txt" "B" "sub/c.txt" "C" "sub/empty" "z")
    auto h = dt::context_hash({d.string(), "ctx"});
    ASSERT_TRUE(h.has_value()) << h.error();
    EXPECT_EQ(*h, "cd8ba0aa9c161e96ba28debade99f493");
    // A relative source path walks the same tree.
    scoped_cwd cwd(root_);
    EXPECT_EQ(dt::context_hash({"ctx", "ctx"}).value(), *h);
    EXPECT_EQ(dt::context_hash({"./ctx/", "ctx"}).value(), *h);
    // An empty top directory contributes nothing but the archive path.
    fs::create_directories(root_ / "void");
    EXPECT_EQ(dt::context_hash({"void", "x"}).value(), "9dd4e461268c8034f5c8564e155c67a6");
    auto missing = dt::context_hash({"nope", "nope"});
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error(), dt::errc::io_error);
}

TEST_F(ImageFiles, ContextHashesOfAnImage) {
    write_file(root_ / "a.txt", "hello world\n");
    scoped_cwd cwd(root_);
    auto img = dt::image::base("b").add_local_file("a.txt", "/a");
    auto hashes = img.context_hashes();
    ASSERT_TRUE(hashes.has_value()) << hashes.error();
    EXPECT_EQ(*hashes, std::vector<std::string>{"1b3a6e47aa32a3ad319b268e2daf1576"});
    fs::remove(root_ / "a.txt");
    auto gone = img.context_hashes();
    ASSERT_FALSE(gone.has_value());
    EXPECT_EQ(gone.error(), dt::errc::io_error);
    EXPECT_TRUE(dt::image::base("b").context_hashes().value().empty());
}

}  // namespace
