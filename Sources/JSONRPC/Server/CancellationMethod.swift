/// A method that cancels a request in flight, named by the id it carries.
///
/// The Language Server Protocol's `$/cancelRequest {"id": ...}` gets the cancelled request answered (with
/// `-32800`, unless it finished first); the Model Context Protocol's `notifications/cancelled {"requestId": ...}`
/// wants no answer at all. A server knows the ones it is given (``Server/init(methods:limits:logger:executor:cancellationMethods:)``).
package struct CancellationMethod: Sendable, Equatable {
    /// The method's name.
    package let method: String
    /// The member of its params that holds the id of the request to cancel.
    package let idMember: String
    /// Whether the cancelled request is still answered (with `-32800` "Request cancelled", or its result when
    /// it finished first); when `false` nothing more is written for it, unless its answer was on its way already.
    package let answersCancelledRequest: Bool

    /// A cancellation method of its own.
    package init(method: String, idMember: String, answersCancelledRequest: Bool) {
        self.method = method
        self.idMember = idMember
        self.answersCancelledRequest = answersCancelledRequest
    }

    /// `$/cancelRequest {"id": ...}`, as in the Language Server Protocol: the cancelled request is answered.
    package static let languageServerProtocol = CancellationMethod(
        method: "$/cancelRequest", idMember: "id", answersCancelledRequest: true)
}
