#pragma once
// PublishWindow: publish one finished ladder folder to S3-compatible storage or a folder.
// Wires widgets to core's PublishJob and nothing more: destination fields, credentials
// (typed and optionally kept in the desktop keychain, or taken from the environment / an
// AWS profile), a progress bar with rate and ETA polled 4 times a second, Cancel, and the
// resulting playback and page URLs. Non-secret fields are remembered in QSettings; secrets
// only ever go to the CredentialStore.

#include "publish/Credentials.h"
#include "publish/PublishJob.h"

#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QLayout;
class QPushButton;
class QScrollArea;
class QSpinBox;
class QStackedWidget;
class QTimer;

namespace hlsforge::gui {

class PublishWindow : public QWidget {
    Q_OBJECT
public:
    // `store` null: the desktop keychain (QtKeychain). Tests pass an in-memory store.
    explicit PublishWindow(const QString& ladderDir, QWidget* parent = nullptr,
                           std::shared_ptr<publish::CredentialStore> store = nullptr);
    ~PublishWindow() override;

    // For tests and the log: the last result (valid once `finished` was emitted).
    const publish::PublishResult& lastResult() const { return m_lastResult; }
    bool isPublishing() const { return m_job != nullptr; }

public slots:
    void startPublish();
    void cancelPublish();

signals:
    void finished(const hlsforge::publish::PublishResult& result);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildUi();
    void loadSettings();
    void saveSettings() const;
    void loadStoredCredentials();
    void showKeychainNote(const QString& problem);
    void showDestinationPage(int index);
    int preferredHeight() const; // the whole form, or the screen's height when that is less
    int preferredWidth() const;  // the form beside a vertical scroll bar
    void fitContent();           // after the form changed: minimum width, then the size
    void updateProgress();
    void onFinished(const publish::PublishResult& result);
    void setRunning(bool running);
    QString credentialAccount() const;
    StatusOr<publish::PublishOptions> collectOptions();

    QString m_ladderDir;
    std::shared_ptr<publish::CredentialStore> m_store;
    std::unique_ptr<publish::PublishJob> m_job;
    publish::PublishResult m_lastResult;

    QComboBox* m_destinationKind = nullptr;
    QStackedWidget* m_destinationPages = nullptr;
    QLineEdit* m_folder = nullptr;
    QLineEdit* m_s3Uri = nullptr;
    QLineEdit* m_endpoint = nullptr;
    QLineEdit* m_region = nullptr;
    QCheckBox* m_pathStyle = nullptr;
    QCheckBox* m_publicRead = nullptr;
    QSpinBox* m_parallel = nullptr;
    QComboBox* m_credentialSource = nullptr;
    QLineEdit* m_accessKey = nullptr;
    QLineEdit* m_secretKey = nullptr;
    QCheckBox* m_remember = nullptr;
    QLineEdit* m_publicBaseUrl = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_resultUrl = nullptr;
    QPushButton* m_start = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_copyUrl = nullptr;
    QTimer* m_poll = nullptr;
    QTimer* m_credentialLookup = nullptr;
    QWidget* m_content = nullptr; // the scrolling part: all but the buttons
    QScrollArea* m_scroll = nullptr;
    QLayout* m_buttons = nullptr;
    QLabel* m_keychainNote = nullptr;
    bool m_statusIsValidation = false; // the status line holds a message about an input
    bool m_runningToFolder = false;
};

} // namespace hlsforge::gui
