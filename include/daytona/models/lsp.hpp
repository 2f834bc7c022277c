// SPDX-License-Identifier: Apache-2.0
// Language server models (toolbox tag `lsp`): LspServerRequest, LspDocumentRequest,
// LspCompletionParams, CompletionList, LspSymbol and their parts. Aggregates only; codecs in
// codec/lsp.hpp.
#ifndef DAYTONA_MODELS_LSP_HPP
#define DAYTONA_MODELS_LSP_HPP

#include "daytona/config.hpp"

#include <optional>
#include <string>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

/// OpenAPI `LspServerRequest`: which server (language and project root).
struct lsp_server_request {
    /// "python", "typescript" or "javascript".
    std::string language_id{};
    /// The project's root directory in the sandbox.
    std::string path_to_project{};
};

/// OpenAPI `LspDocumentRequest`.
struct lsp_document_request {
    /// The server's language (`languageId`): "python", "typescript" or "javascript".
    std::string language_id{};
    /// The server's project root in the sandbox (`pathToProject`).
    std::string path_to_project{};
    /// `file://` + the document's absolute path in the sandbox.
    std::string uri{};
};

/// OpenAPI `LspPosition`: zero-based line and character.
struct lsp_position {
    /// Zero-based line number.
    int line = 0;
    /// Zero-based character offset in the line (UTF-16 code units, as LSP counts).
    int character = 0;
};

/// OpenAPI `CompletionContext`.
struct lsp_completion_context {
    /// 1: invoked, 2: a trigger character was typed, 3: re-triggered.
    int trigger_kind = 1;
    /// The character typed, for trigger_kind 2.
    std::optional<std::string> trigger_character{};
};

/// OpenAPI `LspCompletionParams`.
struct lsp_completion_params {
    /// The server's language (`languageId`): "python", "typescript" or "javascript".
    std::string language_id{};
    /// The server's project root in the sandbox (`pathToProject`).
    std::string path_to_project{};
    /// `file://` + the document's absolute path in the sandbox; the document must be open.
    std::string uri{};
    /// Where to complete.
    lsp_position position{};
    /// How completion was triggered; unset: not sent.
    std::optional<lsp_completion_context> context{};
};

/// OpenAPI `CompletionItem`.
struct lsp_completion_item {
    /// The text shown in the list (and inserted, when insert_text is unset).
    std::string label{};
    /// LSP CompletionItemKind (3 function, 6 variable, 7 class, 9 module, ...).
    std::optional<int> kind{};
    /// Extra information such as a type or signature; unset when the server gives none.
    std::optional<std::string> detail{};
    /// The server's documentation value as JSON text (a string or a MarkupContent object);
    /// empty when there is none.
    std::string documentation{};
    /// Key to sort the items by, instead of label.
    std::optional<std::string> sort_text{};
    /// Text to filter the items against, instead of label.
    std::optional<std::string> filter_text{};
    /// Text to insert, instead of label.
    std::optional<std::string> insert_text{};
};

/// OpenAPI `CompletionList`.
struct lsp_completion_list {
    /// More typing may yield more items: ask again rather than filter this list.
    bool is_incomplete = false;
    /// The completion items.
    std::vector<lsp_completion_item> items{};
};

/// OpenAPI `LspRange`.
struct lsp_range {
    /// First position of the range.
    lsp_position start{};
    /// Position just past the range's end (exclusive).
    lsp_position end{};
};

/// OpenAPI `LspLocation`.
struct lsp_location {
    /// `file://` URI of the document.
    std::string uri{};
    /// The symbol's range in the document.
    lsp_range range{};
};

/// OpenAPI `LspSymbol`: a symbol of a document or of the workspace.
struct lsp_symbol {
    /// The symbol's name.
    std::string name{};
    /// LSP SymbolKind (5 class, 6 method, 12 function, 13 variable, ...).
    int kind = 0;
    /// Where the symbol is defined.
    lsp_location location{};
};

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_MODELS_LSP_HPP
