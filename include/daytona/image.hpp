// SPDX-License-Identifier: Apache-2.0
// daytona::image: a typed, declarative Docker image builder (pure: text and local files, no
// network I/O).
#ifndef DAYTONA_IMAGE_HPP
#define DAYTONA_IMAGE_HPP

#include "daytona/config.hpp"
#include "daytona/error.hpp"
#include "daytona/image_context.hpp"
#include "daytona/result.hpp"

#include <concepts>
#include <initializer_list>
#include <optional>
#include <ranges>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

// The Dockerfile text
// -------------------
// Daytona caches snapshot builds by the Dockerfile's content, so a C++ user and a user of the
// official TypeScript SDK (@daytonaio/sdk 0.218) who describe the same image must produce the
// same bytes and share one build. For every method the TypeScript SDK has, the text below is
// byte for byte what it writes, including the quoting of the npm package shell-quote 1.12:
//
//   base(r)                  FROM r                       (verbatim)
//   debian_slim(v)           FROM python:X.Y.Z-slim-bookworm, then four fixed RUN lines
//   pip_install(p, o)        RUN python -m pip install <quoted p, sorted><options>
//   pip_install_from_…       COPY <file> /.requirements.txt / pip install of the parsed list
//   run(cmd), run_commands   RUN cmd                      (verbatim)
//   env(k, v)                ENV k=<quoted v>
//   workdir(p)               WORKDIR <quoted p>
//   entrypoint(a), cmd(a)    ENTRYPOINT ["a0", "a1"]      CMD ["a0", "a1"]
//   add_local_file/_dir      COPY <local> <remote>
//   dockerfile_commands(l)   the lines joined with \n, plus \n
//   from_dockerfile(path)    the file's content, verbatim
//
// Where the TypeScript SDK's text is wrong, this builder writes what Docker reads correctly
// instead, and only there:
//   - run(argv) writes the exec form as a JSON array, `RUN ["bash", "-c", "echo \"hi\""]`; the
//     SDK writes `RUN "bash" "-c" "echo \\\"hi\\\""`, a shell command with mangled quoting.
//   - ENTRYPOINT and CMD elements are JSON-escaped; the SDK leaves a `"` or `\` inside an
//     element as it is, which is not valid JSON, so Docker silently runs the shell form.
//   - ENV values and WORKDIR paths are read by Docker's own lexer, not by a shell. Where
//     shell-quote's choice means something else to that lexer (a double-quoted string holding a
//     backquote keeps the backslash; U+0085 splits an unquoted word), the single-quoted form is
//     written instead.
//   - A COPY whose paths contain whitespace, start with `-` or contain `<<` is written in the
//     JSON form `COPY ["a b", "/app/"]`; the SDK's shell form would split or misread them.
//   - After from_dockerfile() of a file that does not end with a newline, the next instruction
//     starts on a new line (the SDK glues it onto the file's last line).
//   - env() with several pairs writes one line per pair in the order given, duplicates
//     included (a JavaScript object would collapse duplicate keys and move integer-like keys
//     first).
// Methods the TypeScript SDK does not have: apt_get() writes the Go SDK's line
// `RUN apt-get update && apt-get install -y <quoted packages> && rm -rf /var/lib/apt/lists/*`,
// and user() writes `USER <name>`.
//
// The build context
// -----------------
// context() lists the local files the Dockerfile copies, and context_hash() hashes them, as the
// official SDK does (so both share uploads): add_local_file(), add_local_dir() and
// pip_install_from_requirements() record the local path (`~` expanded) as both source and
// archive path; the COPY lines of dockerfile_commands() and from_dockerfile() are scanned, and
// each source is glob-expanded on the local disk (fast-glob's order: breadth first, names in
// byte order, dot files included, files only; a source that matches no file, such as a
// directory, is one entry). Where the SDK's scan would leave Docker without a file it needs,
// this builder follows Docker instead: shell-form sources with `*` or `?` are expanded (the SDK
// drops them), heredoc bodies are not scanned for COPY lines, a `[` that does not start valid
// JSON is the shell form, sources are split as Docker splits them (quotes and backslashes; `$X`
// expands to nothing, as with an unset build argument), relative sources are named relative to
// dockerfile_commands()' context directory in every case (the SDK compares string prefixes),
// that directory's `~` is expanded, and `~name/…` is not read as `$HOME/name/…`. Glob braces
// and extended globs are not supported (Docker supports neither).
//
// Invalid arguments
// -----------------
// Nothing in this builder throws for a bad argument, and no call ever writes an instruction that
// a value could break out of. A call with an invalid argument appends nothing and records the
// error; the first recorded error is kept, and later calls still apply (so one validate() at the
// end reports the first problem of the whole chain). validate() returns it, and every call that
// sends an image to Daytona calls validate() before any request. Refused values:
//   - anywhere: a NUL character, or bytes that are not valid UTF-8 (the Dockerfile travels as a
//     JSON string);
//   - in every value written on one line (image reference, shell-form RUN, ENV key and value,
//     WORKDIR, USER, packages, pip options, COPY paths): a line feed or carriage return; in the
//     values written verbatim, also a trailing backslash (which would continue the instruction
//     onto the next line), and in a shell-form RUN a heredoc opener such as `<<EOF` (which would
//     swallow the instructions that follow);
//   - empty values where Docker needs one (image reference, RUN, WORKDIR, USER, ENV key, COPY
//     paths, apt packages), an ENV key holding whitespace, `=`, a quote, `\` or `$`, a USER
//     holding whitespace, a quote, `\` or `$`, a COPY path holding a quote, `\` or `$` (Docker
//     would interpret them), and a local COPY source holding `*`, `?` or `[` (Docker would read
//     a glob);
//   - an unsupported Python version (errc::invalid_argument), a local file or directory that does
//     not exist or cannot be read (errc::io_error), or one of the wrong kind.
// Lines given to dockerfile_commands() and the content of from_dockerfile() are raw Dockerfile
// text on purpose: they are refused only for NUL characters and invalid UTF-8. (A Dockerfile
// from from_dockerfile() that sets the parser directive `# escape=`` changes how Docker reads
// the backslashes of the quoting written after it; use dockerfile_commands() there.)

DAYTONA_BEGIN_NAMESPACE

/**
 * \brief Options of the pip commands (`pip_install`, `pip_install_from_requirements`,
 * `pip_install_from_pyproject`).
 * \details Appended to the command in this order: ` --find-links <quoted>` per link,
 * ` --index-url <quoted>`, ` --extra-index-url <quoted>` per URL, ` --pre`, then ` ` and the
 * trimmed extra options.
 */
struct pip_options {
    /// Values of `--find-links`, one option each. Default: none.
    std::vector<std::string> find_links{};
    /// Value of `--index-url`; empty means the option is left out. Default: empty.
    std::string index_url{};
    /// Values of `--extra-index-url`, one option each. Default: none.
    std::vector<std::string> extra_index_urls{};
    /// Adds `--pre` (allow pre-release versions). Default false.
    bool pre = false;
    /// Further options written verbatim after trimming surrounding whitespace; empty means
    /// none. Default: empty.
    std::string extra_options{};
};

namespace detail {
template <class R>
concept image_string_range = std::ranges::input_range<const R&> &&
    std::convertible_to<std::ranges::range_reference_t<const R&>, std::string_view> &&
    !std::convertible_to<const R&, std::string_view>;

template <class R>
concept image_pair_range = std::ranges::input_range<const R&> &&
    requires(const std::ranges::range_value_t<const R&>& p) {
    std::string_view(p.first);
    std::string_view(p.second);
};
}  // namespace detail

/**
 * \brief A list of strings given to an image method.
 * \details Built from a braced list (`{"git", "curl"}`) or from any range whose elements convert
 * to `std::string_view` (`std::vector<std::string>`, `std::array<std::string_view, N>`, …). The
 * strings are copied.
 */
class string_list {
public:
    /// An empty list.
    string_list() = default;
    /// The strings of a braced list, `{"git", "curl"}`.
    string_list(std::initializer_list<std::string_view> items)  // NOLINT: implicit by design
        : items_(items.begin(), items.end()) {}
    /// Takes over the strings of `items` without copying them.
    string_list(std::vector<std::string>&& items) noexcept  // NOLINT: implicit by design
        : items_(std::move(items)) {}
    /// The strings of any range whose elements convert to `std::string_view`.
    template <detail::image_string_range Range>
    string_list(const Range& items) {  // NOLINT: implicit by design
        for (auto&& s : items)
            items_.emplace_back(std::string_view(s));
    }

    /// The strings, in order.
    const std::vector<std::string>& items() const noexcept { return items_; }
    /// Iterator to the first string.
    auto begin() const noexcept { return items_.begin(); }
    /// Iterator past the last string.
    auto end() const noexcept { return items_.end(); }
    /// Number of strings.
    std::size_t size() const noexcept { return items_.size(); }
    /// True when the list has no strings.
    bool empty() const noexcept { return items_.empty(); }

private:
    std::vector<std::string> items_{};
};

/**
 * \brief A Docker image described in C++: a Dockerfile text plus the local files it copies.
 * \details Start from base(), debian_slim() or from_dockerfile() (there is no default
 * constructor: an image always has a base), then chain methods; each appends instructions and
 * returns the image, by reference on an lvalue and by value on an rvalue, so
 * `image::base("node:20-slim").apt_get({"git"}).workdir("/workspace")` is an `image`. Pass it to
 * `client::create` or `snapshots().create`, which send dockerfile() and the hashes of context().
 *
 * The exact text, the differences from the official TypeScript SDK, and the rules for invalid
 * arguments are described at the top of this header. Methods that name local files read the
 * file system when they are called (as the official SDK does); nothing here touches the
 * network.
 *
 * \par Copying
 * A plain value: copies are independent. Two images are equal when they have the same
 * Dockerfile text, the same context entries and the same validity.
 * \par Thread safety
 * Distinct objects are safe; a shared object is not.
 */
class image {
public:
    // ---- starting points ------------------------------------------------------------------

    /// `FROM <image_ref>`. Refuses an empty reference and line breaks.
    [[nodiscard]] static DAYTONA_DECL image base(std::string_view image_ref);

    /**
     * \brief The official Python slim image on Debian bookworm, prepared for builds: `FROM
     * python:<X.Y.Z>-slim-bookworm` then `RUN apt-get update`, `RUN apt-get install -y gcc
     * gfortran build-essential`, `RUN pip install --upgrade pip` and a RUN that makes debconf
     * non-interactive.
     * \details `python_version` is a series, "3.9" to "3.13" (mapped to 3.9.22, 3.10.17,
     * 3.11.12, 3.12.10, 3.13.3), or a full "X.Y.Z" of one of those series (used as given, as the
     * Python SDK does); empty means "3.13", the TypeScript SDK's default.
     */
    [[nodiscard]] static DAYTONA_DECL image debian_slim(std::string_view python_version = {});

    /**
     * \brief An image whose Dockerfile is the content of the file at `path`, verbatim.
     * \details `~` is expanded. The sources of the file's COPY instructions (not those with
     * `--from=` or heredocs) become context entries, resolved against the Dockerfile's
     * directory and glob-expanded there; their archive paths are relative to that directory.
     * A missing or unreadable file is errc::io_error.
     */
    [[nodiscard]] static DAYTONA_DECL image from_dockerfile(std::string_view path);

    // ---- packages -------------------------------------------------------------------------

    /// `RUN apt-get update && apt-get install -y <packages> && rm -rf /var/lib/apt/lists/*`,
    /// each package shell-quoted, in the order given. An empty list appends nothing.
    ///@{
    DAYTONA_DECL image& apt_get(string_list packages) &;
    image apt_get(string_list packages) && { return std::move(apt_get(std::move(packages))); }
    ///@}

    /// `RUN python -m pip install <packages><options>`: the packages shell-quoted and sorted (in
    /// JavaScript's order, by UTF-16 code units), as the official SDK writes them. An empty list
    /// appends nothing.
    ///@{
    DAYTONA_DECL image& pip_install(string_list packages, const pip_options& options = {}) &;
    image pip_install(string_list packages, const pip_options& options = {}) && {
        return std::move(pip_install(std::move(packages), options));
    }
    ///@}

    /// `COPY <path> /.requirements.txt` and `RUN python -m pip install -r
    /// /.requirements.txt<options>`; the file (`~` expanded) becomes a context entry.
    ///@{
    DAYTONA_DECL image& pip_install_from_requirements(std::string_view path,
                                                      const pip_options& options = {}) &;
    image pip_install_from_requirements(std::string_view path, const pip_options& options = {}) && {
        return std::move(pip_install_from_requirements(path, options));
    }
    ///@}

    /**
     * \brief pip_install() of the `[project] dependencies` of a pyproject.toml, plus those of
     * each named group of `[project.optional-dependencies]`.
     * \details A file without a `dependencies` array in `[project]` is refused, as in the official
     * SDKs; groups that do not exist are ignored. The file is read now and not copied into the
     * image.
     */
    ///@{
    DAYTONA_DECL image& pip_install_from_pyproject(std::string_view path,
                                                   string_list optional_dependencies = {},
                                                   const pip_options& options = {}) &;
    image pip_install_from_pyproject(std::string_view path, string_list optional_dependencies = {},
                                     const pip_options& options = {}) && {
        return std::move(
            pip_install_from_pyproject(path, std::move(optional_dependencies), options));
    }
    ///@}

    // ---- commands -------------------------------------------------------------------------

    /// Shell form: `RUN <command>`, verbatim (the shell in the image interprets it).
    ///@{
    DAYTONA_DECL image& run(std::string_view command) &;
    image run(std::string_view command) && { return std::move(run(command)); }
    ///@}

    /// Exec form: `RUN ["argv0", "argv1", …]`, a JSON array run without a shell. A braced list
    /// always means this form: `run({"echo hi"})` runs the program `echo hi`.
    ///@{
    image& run(std::initializer_list<std::string_view> argv) & {
        return run_exec(string_list(argv));
    }
    image run(std::initializer_list<std::string_view> argv) && {
        return std::move(run_exec(string_list(argv)));
    }
    ///@}
    /// Exec form from any range of strings, e.g. `std::vector<std::string>{"bash", "-c", "…"}`.
    ///@{
    image& run(string_list argv) & { return run_exec(std::move(argv)); }
    image run(string_list argv) && { return std::move(run_exec(std::move(argv))); }
    ///@}

    /// One shell-form `RUN <command>` per element, in order.
    ///@{
    DAYTONA_DECL image& run_commands(string_list commands) &;
    image run_commands(string_list commands) && {
        return std::move(run_commands(std::move(commands)));
    }
    ///@}

    // ---- configuration --------------------------------------------------------------------

    /// `WORKDIR <quoted path>`.
    ///@{
    DAYTONA_DECL image& workdir(std::string_view path) &;
    image workdir(std::string_view path) && { return std::move(workdir(path)); }
    ///@}

    /// `ENV <key>=<quoted value>`.
    ///@{
    DAYTONA_DECL image& env(std::string_view key, std::string_view value) &;
    image env(std::string_view key, std::string_view value) && {
        return std::move(env(key, value));
    }
    ///@}

    /// One `ENV` line per pair, in the order given: `env({{"A", "1"}, {"B", "2"}})`. If any pair
    /// is invalid, none is written.
    ///@{
    image& env(std::initializer_list<std::pair<std::string_view, std::string_view>> vars) & {
        return env_pairs(std::vector<std::pair<std::string_view, std::string_view>>(vars));
    }
    image env(std::initializer_list<std::pair<std::string_view, std::string_view>> vars) && {
        return std::move(env(vars));
    }
    ///@}
    /// One `ENV` line per element of a range of pairs (`std::map`, `std::vector<std::pair<…>>`,
    /// …).
    ///@{
    template <detail::image_pair_range Range>
    image& env(const Range& vars) & {
        std::vector<std::pair<std::string_view, std::string_view>> pairs;
        for (const auto& p : vars)
            pairs.emplace_back(std::string_view(p.first), std::string_view(p.second));
        return env_pairs(std::move(pairs));
    }
    template <detail::image_pair_range Range>
    image env(const Range& vars) && {
        return std::move(env(vars));
    }
    ///@}

    /// `ENTRYPOINT ["a", "b"]` (exec form, JSON-escaped). An empty list writes `ENTRYPOINT []`.
    ///@{
    DAYTONA_DECL image& entrypoint(string_list argv) &;
    image entrypoint(string_list argv) && { return std::move(entrypoint(std::move(argv))); }
    ///@}

    /// `CMD ["a", "b"]` (exec form, JSON-escaped). An empty list writes `CMD []`.
    ///@{
    DAYTONA_DECL image& cmd(string_list argv) &;
    image cmd(string_list argv) && { return std::move(cmd(std::move(argv))); }
    ///@}

    /// `USER <name>` (a user name or `user:group`, or numeric ids), verbatim.
    ///@{
    DAYTONA_DECL image& user(std::string_view name) &;
    image user(std::string_view name) && { return std::move(user(name)); }
    ///@}

    // ---- local files ----------------------------------------------------------------------

    /**
     * \brief `COPY <local_path> <remote_path>`; the file becomes a context entry.
     * \details `~` in `local_path` is expanded; the path is recorded as given otherwise (relative
     * paths stay relative to the working directory, and are also the name in the build
     * context). A `remote_path` ending in `/` gets the file's name appended.
     */
    ///@{
    DAYTONA_DECL image& add_local_file(std::string_view local_path, std::string_view remote_path) &;
    image add_local_file(std::string_view local_path, std::string_view remote_path) && {
        return std::move(add_local_file(local_path, remote_path));
    }
    ///@}

    /// `COPY <local_path> <remote_path>` for a directory, which becomes a context entry
    /// (`~` expanded, as for add_local_file()).
    ///@{
    DAYTONA_DECL image& add_local_dir(std::string_view local_path, std::string_view remote_path) &;
    image add_local_dir(std::string_view local_path, std::string_view remote_path) && {
        return std::move(add_local_dir(local_path, remote_path));
    }
    ///@}

    /**
     * \brief Raw Dockerfile lines: `lines` joined with `\n`, plus `\n`.
     * \details The sources of COPY lines become context entries: relative sources are resolved
     * against `context_dir` (`~` expanded; the working directory when empty), glob-expanded, and
     * named relative to it in the build context.
     */
    ///@{
    DAYTONA_DECL image& dockerfile_commands(string_list lines, std::string_view context_dir = {}) &;
    image dockerfile_commands(string_list lines, std::string_view context_dir = {}) && {
        return std::move(dockerfile_commands(std::move(lines), context_dir));
    }
    ///@}

    // ---- results --------------------------------------------------------------------------

    /// The Dockerfile text. Every instruction this builder writes ends with `\n`.
    const std::string& dockerfile() const noexcept { return dockerfile_; }

    /// The local build-context entries, in the order the methods added them.
    const std::vector<context_entry>& context() const noexcept { return context_; }

    /// The first invalid argument of the whole chain (errc::invalid_argument or errc::io_error,
    /// with the method and the argument named in the message), or success.
    [[nodiscard]] result<void> validate() const {
        if (error_) return *error_;
        return {};
    }

    /// validate(), then context_hash() of every context entry, in order: the `contextHashes` a
    /// build request carries. Reads every context file.
    [[nodiscard]] DAYTONA_DECL result<std::vector<std::string>> context_hashes() const;

    /// Equal when the Dockerfile text, the context entries and the validity are equal.
    friend bool operator==(const image& a, const image& b) noexcept {
        return a.dockerfile_ == b.dockerfile_ && a.context_ == b.context_ &&
               a.error_.has_value() == b.error_.has_value();
    }

private:
    image() = default;

    DAYTONA_DECL image& run_exec(string_list argv);
    DAYTONA_DECL image& env_pairs(std::vector<std::pair<std::string_view, std::string_view>> vars);
    DAYTONA_DECL image& pip_install_as(std::string_view method, std::vector<std::string> packages,
                                       const pip_options& options);
    DAYTONA_DECL std::optional<std::string> pip_arguments(std::string_view method,
                                                          const pip_options& options);
    DAYTONA_DECL image& add_local(std::string_view method, std::string_view local_path,
                                  std::string_view remote_path, bool directory);
    DAYTONA_DECL void append(std::string_view text);
    /// Records the first invalid argument; returns *this.
    DAYTONA_DECL image& refuse(std::string_view method, std::string_view argument,
                               std::string_view problem, errc code = errc::invalid_argument);

    std::string dockerfile_{};
    std::vector<context_entry> context_{};
    std::optional<error> error_{};
};

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/impl/image.ipp"
#endif

#endif  // DAYTONA_IMAGE_HPP
