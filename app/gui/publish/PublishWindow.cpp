#include "PublishWindow.h"

#include "KeychainCredentialStore.h"
#include "OpenOrCopy.h"

#include "util/Format.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace hlsforge::gui {

using namespace hlsforge::publish;

namespace {
enum DestinationIndex { S3Page = 0, FolderPage = 1 };
enum CredentialIndex { TypedCredentials = 0, EnvironmentCredentials = 1 };

// Destinations are remembered as their root (the folder, bucket prefix or URL that holds one
// folder per video) and offered again as root + this video's name: remembering the whole
// destination sent the next video into the previous one's folder, over its files.
// "/srv/videos/show" -> "/srv/videos", "s3://bucket/videos/show" -> "s3://bucket/videos",
// "s3://bucket" -> "s3://bucket" (a bucket or host is a root already).
QString rootOf(QString location) {
    location = location.trimmed();
    while (location.size() > 1 && location.endsWith(QLatin1Char('/')))
        location.chop(1);
    const int slash = location.lastIndexOf(QLatin1Char('/'));
    if (slash < 0)
        return {};
    if (slash >= 2 && location.mid(slash - 2, 3) == QLatin1String("://"))
        return location;
    if (slash == 0)
        return QStringLiteral("/");
    return location.left(slash);
}

QString destinationIn(const QString& root, const QString& videoName) {
    if (root.isEmpty())
        return {};
    return root.endsWith(QLatin1Char('/')) ? root + videoName : root + QLatin1Char('/') + videoName;
}

// The root stored under `rootKey`, or (settings written before roots were kept) the root of
// the whole destination stored under `oldKey`.
QString rememberedRoot(const QSettings& settings, const QString& rootKey, const QString& oldKey) {
    if (settings.contains(rootKey))
        return settings.value(rootKey).toString();
    return rootOf(settings.value(oldKey).toString());
}
} // namespace

PublishWindow::PublishWindow(const QString& ladderDir, QWidget* parent,
                             std::shared_ptr<CredentialStore> store)
    : QWidget(parent), m_ladderDir(ladderDir),
      m_store(store ? std::move(store) : std::make_shared<KeychainCredentialStore>()) {
    setWindowTitle(tr("Publish %1").arg(QDir(ladderDir).dirName()));
    buildUi();
    loadSettings();
    setRunning(false);
    resize(preferredWidth(), preferredHeight());
}

int PublishWindow::preferredWidth() const {
    // The form plus the room a vertical scroll bar takes when it shows (a short screen, the
    // keychain note): without it the fields' right ends went under the bar.
    const QMargins margins = layout()->contentsMargins();
    const int bar = m_scroll->verticalScrollBar()->sizeHint().width();
    return std::max(560, m_content->sizeHint().width() + bar + margins.left() + margins.right());
}

void PublishWindow::fitContent() {
    // Never narrower than the form needs beside a scroll bar, and as tall as the page shown.
    const QMargins margins = layout()->contentsMargins();
    setMinimumWidth(m_content->minimumSizeHint().width() +
                    m_scroll->verticalScrollBar()->sizeHint().width() + margins.left() +
                    margins.right());
    if (isVisible())
        resize(std::max(width(), preferredWidth()), preferredHeight());
}

int PublishWindow::preferredHeight() const {
    const QMargins margins = layout()->contentsMargins();
    const int wanted = m_content->sizeHint().height() + layout()->spacing() +
                       m_buttons->sizeHint().height() + margins.top() + margins.bottom();
    const QScreen* shown = screen() ? screen() : QGuiApplication::primaryScreen();
    // Room for the window manager's title bar; the form scrolls when the screen is shorter.
    const int room = shown ? shown->availableGeometry().height() - 48 : wanted;
    return std::min(wanted, room);
}

PublishWindow::~PublishWindow() {
    if (m_job)
        m_job->cancel(); // the job's destructor joins its thread
}

void PublishWindow::buildUi() {
    // Everything but the buttons scrolls: at 1.5x on a 1280x760 screen the form is taller
    // than the screen, and Publish/Close must stay reachable.
    auto* outer = new QVBoxLayout(this);
    m_content = new QWidget;
    auto* layout = new QVBoxLayout(m_content);
    layout->setContentsMargins(0, 0, 0, 0);
    m_scroll = new QScrollArea;
    m_scroll->setWidget(m_content);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    outer->addWidget(m_scroll, 1);
    auto* source = new QLabel(tr("Ladder folder: %1").arg(QDir::toNativeSeparators(m_ladderDir)));
    source->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(source);

    auto* destinationBox = new QGroupBox(tr("Destination"));
    auto* destinationLayout = new QVBoxLayout(destinationBox);
    m_destinationKind = new QComboBox;
    m_destinationKind->setObjectName(QStringLiteral("destinationKind"));
    m_destinationKind->addItems({tr("S3 or S3-compatible storage"), tr("Folder")});
    destinationLayout->addWidget(m_destinationKind);
    m_destinationPages = new QStackedWidget;
    destinationLayout->addWidget(m_destinationPages);

    auto* s3Page = new QWidget;
    auto* s3Form = new QFormLayout(s3Page);
    m_s3Uri = new QLineEdit;
    m_s3Uri->setObjectName(QStringLiteral("s3Uri"));
    const QString videoName = QDir(m_ladderDir).dirName();
    m_s3Uri->setPlaceholderText(QStringLiteral("s3://bucket/videos/%1").arg(videoName));
    m_endpoint = new QLineEdit;
    m_endpoint->setObjectName(QStringLiteral("endpoint"));
    m_endpoint->setPlaceholderText(tr("AWS (leave empty), or e.g. https://minio.example.com"));
    m_region = new QLineEdit;
    m_region->setObjectName(QStringLiteral("region"));
    m_region->setPlaceholderText(QStringLiteral("us-east-1"));
    m_pathStyle = new QCheckBox(tr("Path-style URLs (automatic for IP and localhost endpoints)"));
    m_publicRead = new QCheckBox(tr("Make objects public (public-read ACL)"));
    m_parallel = new QSpinBox;
    m_parallel->setObjectName(QStringLiteral("parallel"));
    m_parallel->setRange(1, 64);
    m_parallel->setValue(8);
    s3Form->addRow(tr("Bucket and prefix:"), m_s3Uri);
    s3Form->addRow(tr("Endpoint:"), m_endpoint);
    s3Form->addRow(tr("Region:"), m_region);
    s3Form->addRow(QString(), m_pathStyle);
    s3Form->addRow(QString(), m_publicRead);
    s3Form->addRow(tr("Uploads in parallel:"), m_parallel);

    m_credentialSource = new QComboBox;
    m_credentialSource->setObjectName(QStringLiteral("credentialSource"));
    m_credentialSource->addItems(
        {tr("Typed here"), tr("From the environment or ~/.aws/credentials")});
    m_accessKey = new QLineEdit;
    m_accessKey->setObjectName(QStringLiteral("accessKey"));
    m_secretKey = new QLineEdit;
    m_secretKey->setObjectName(QStringLiteral("secretKey"));
    m_secretKey->setEchoMode(QLineEdit::Password);
    m_remember = new QCheckBox(tr("Remember in the system keychain"));
    m_remember->setObjectName(QStringLiteral("remember"));
    s3Form->addRow(tr("Credentials:"), m_credentialSource);
    s3Form->addRow(tr("Access key ID:"), m_accessKey);
    s3Form->addRow(tr("Secret access key:"), m_secretKey);
    s3Form->addRow(QString(), m_remember);
    // Stays visible: a keychain that cannot keep the keys is worth knowing before the next
    // session finds them gone.
    m_keychainNote = new QLabel;
    m_keychainNote->setObjectName(QStringLiteral("keychainNote"));
    m_keychainNote->setWordWrap(true);
    m_keychainNote->setStyleSheet(QStringLiteral("color: #b35c00;"));
    m_keychainNote->hide();
    s3Form->addRow(QString(), m_keychainNote);
    m_destinationPages->addWidget(s3Page);

    auto* folderPage = new QWidget;
    auto* folderForm = new QFormLayout(folderPage);
    m_folder = new QLineEdit;
    m_folder->setObjectName(QStringLiteral("folder"));
    m_folder->setPlaceholderText(
        tr("e.g. /var/www/videos/%1 or a folder on a mounted share").arg(videoName));
    auto* browse = new QPushButton(tr("Browse…"));
    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(browse);
    auto* folderLabel = new QLabel(tr("&Folder:"));
    folderLabel->setBuddy(m_folder);
    folderForm->addRow(folderLabel, folderRow);
    auto* folderHelp = new QLabel(
        tr("The ladder is copied into this folder: files already there and identical are "
           "skipped, and master.m3u8 is written last, so players never see half a ladder."));
    folderHelp->setWordWrap(true);
    folderForm->addRow(QString(), folderHelp);
    m_destinationPages->addWidget(folderPage);
    layout->addWidget(destinationBox);

    auto* urlForm = new QFormLayout;
    m_publicBaseUrl = new QLineEdit;
    m_publicBaseUrl->setObjectName(QStringLiteral("publicBaseUrl"));
    m_publicBaseUrl->setPlaceholderText(
        tr("Optional: https://cdn.example.com/videos/%1").arg(videoName));
    urlForm->addRow(tr("Public URL of the folder:"), m_publicBaseUrl);
    layout->addLayout(urlForm);

    // Shown only while something is published (an empty bar without a label says nothing),
    // but its room is kept so the window does not change height.
    m_progress = new QProgressBar;
    m_progress->setObjectName(QStringLiteral("progress"));
    m_progress->setRange(0, 1000);
    m_progress->setFormat(tr("%p % published"));
    QSizePolicy keepRoom = m_progress->sizePolicy();
    keepRoom.setRetainSizeWhenHidden(true);
    m_progress->setSizePolicy(keepRoom);
    m_progress->hide();
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Room for two lines of message and two of links, whether or not they are there yet.
    m_status->setMinimumHeight(m_status->fontMetrics().lineSpacing() * 2 + 4);
    m_status->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_resultUrl = new QLabel;
    m_resultUrl->setObjectName(QStringLiteral("resultUrl"));
    m_resultUrl->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_resultUrl->setOpenExternalLinks(false);
    m_resultUrl->setWordWrap(true);
    m_resultUrl->setMinimumHeight(m_resultUrl->fontMetrics().lineSpacing() * 2 + 4);
    m_resultUrl->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    connect(m_resultUrl, &QLabel::linkActivated, this,
            [this](const QString& link) { openOrCopy(this, QUrl(link), tr("the link")); });
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(m_resultUrl);

    auto* buttons = new QHBoxLayout;
    m_copyUrl = new QPushButton(tr("Copy URL"));
    m_copyUrl->setObjectName(QStringLiteral("copyUrl"));
    m_start = new QPushButton(tr("Publish"));
    m_start->setObjectName(QStringLiteral("start"));
    m_start->setDefault(true);
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setObjectName(QStringLiteral("cancel"));
    buttons->addWidget(m_copyUrl);
    buttons->addStretch();
    buttons->addWidget(m_start);
    buttons->addWidget(m_cancel);
    outer->addLayout(buttons);
    m_buttons = buttons;

    m_poll = new QTimer(this);
    m_poll->setInterval(250);

    connect(m_destinationKind, &QComboBox::currentIndexChanged, this, [this](int index) {
        showDestinationPage(index);
        // The other target's messages and links say nothing about this one.
        if (!m_job) {
            m_status->clear();
            m_resultUrl->clear();
            m_lastResult = PublishResult(); // nothing to copy for this destination yet
            m_copyUrl->setEnabled(false);
            m_progress->hide();
            m_statusIsValidation = false;
        }
    });
    // A message about a field goes as soon as the user changes the input it was about.
    auto clearValidation = [this] {
        if (m_statusIsValidation && !m_job) {
            m_status->clear();
            m_statusIsValidation = false;
        }
    };
    for (QLineEdit* field :
         {m_s3Uri, m_endpoint, m_region, m_accessKey, m_secretKey, m_folder, m_publicBaseUrl})
        connect(field, &QLineEdit::textEdited, this, clearValidation);
    connect(m_folder, &QLineEdit::textChanged, this, clearValidation);
    connect(m_credentialSource, &QComboBox::currentIndexChanged, this, clearValidation);
    connect(m_credentialSource, &QComboBox::currentIndexChanged, this, [this](int index) {
        const bool typed = index == TypedCredentials;
        m_accessKey->setEnabled(typed);
        m_secretKey->setEnabled(typed);
        m_remember->setEnabled(typed);
    });
    // Browsing picks the folder that holds the videos; this one goes into a folder of its
    // own name there, never straight among (or over) the others.
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString name = QDir(m_ladderDir).dirName();
        const QString dir = QFileDialog::getExistingDirectory(
            this, tr("Publish into a folder named %1 in…").arg(name), rootOf(m_folder->text()));
        if (!dir.isEmpty())
            m_folder->setText(QDir(dir).dirName() == name ? dir : destinationIn(dir, name));
    });
    // Stored keys are looked up a moment after the bucket or endpoint was typed. Not on
    // editingFinished: that fires while a click on Publish moves the focus, and the keychain
    // lookup waits in a local event loop, where the click's release was delivered before its
    // press, so the first click on Publish was lost.
    m_credentialLookup = new QTimer(this);
    m_credentialLookup->setSingleShot(true);
    m_credentialLookup->setInterval(600);
    connect(m_credentialLookup, &QTimer::timeout, this, &PublishWindow::loadStoredCredentials);
    connect(m_s3Uri, &QLineEdit::textEdited, m_credentialLookup, qOverload<>(&QTimer::start));
    connect(m_endpoint, &QLineEdit::textEdited, m_credentialLookup, qOverload<>(&QTimer::start));
    connect(m_start, &QPushButton::clicked, this, &PublishWindow::startPublish);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_job)
            cancelPublish();
        else
            close();
    });
    connect(m_copyUrl, &QPushButton::clicked, this, [this] {
        if (!m_lastResult.playbackUrl.isEmpty())
            QApplication::clipboard()->setText(m_lastResult.playbackUrl);
    });
    connect(m_poll, &QTimer::timeout, this, &PublishWindow::updateProgress);
}

void PublishWindow::showDestinationPage(int index) {
    // The box takes the height of the page shown, not of the tallest one: the one-line
    // folder page would otherwise float in the S3 page's empty space.
    m_destinationPages->setCurrentIndex(index);
    for (int i = 0; i < m_destinationPages->count(); ++i)
        m_destinationPages->widget(i)->setSizePolicy(
            QSizePolicy::Preferred, i == index ? QSizePolicy::Preferred : QSizePolicy::Ignored);
    // Cached size hints sit in every layout up to the window: drop them all.
    for (QWidget* w = m_destinationPages; w; w = w->parentWidget()) {
        if (w->layout())
            w->layout()->invalidate();
        w->updateGeometry();
        if (w == this)
            break;
    }
    if (layout())
        layout()->activate();
    fitContent();
}

void PublishWindow::loadSettings() {
    QSettings settings;
    settings.beginGroup(QStringLiteral("publish"));
    m_destinationKind->setCurrentIndex(
        settings.value(QStringLiteral("destination"), S3Page).toInt());
    const QString videoName = QDir(m_ladderDir).dirName();
    m_s3Uri->setText(destinationIn(
        rememberedRoot(settings, QStringLiteral("s3Root"), QStringLiteral("s3Uri")), videoName));
    m_endpoint->setText(settings.value(QStringLiteral("endpoint")).toString());
    m_region->setText(settings.value(QStringLiteral("region")).toString());
    m_pathStyle->setChecked(settings.value(QStringLiteral("pathStyle"), false).toBool());
    m_publicRead->setChecked(settings.value(QStringLiteral("publicRead"), false).toBool());
    m_parallel->setValue(settings.value(QStringLiteral("parallel"), 8).toInt());
    m_credentialSource->setCurrentIndex(
        settings.value(QStringLiteral("credentialSource"), TypedCredentials).toInt());
    m_remember->setChecked(settings.value(QStringLiteral("remember"), true).toBool());
    m_folder->setText(destinationIn(
        rememberedRoot(settings, QStringLiteral("folderRoot"), QStringLiteral("folder")),
        videoName));
    m_publicBaseUrl->setText(destinationIn(
        rememberedRoot(settings, QStringLiteral("publicUrlRoot"), QStringLiteral("publicBaseUrl")),
        videoName));
    settings.endGroup();
    showDestinationPage(m_destinationKind->currentIndex());
    loadStoredCredentials();
}

void PublishWindow::saveSettings() const {
    // Never a secret here: QSettings is a plain-text file.
    QSettings settings;
    settings.beginGroup(QStringLiteral("publish"));
    settings.setValue(QStringLiteral("destination"), m_destinationKind->currentIndex());
    settings.setValue(QStringLiteral("s3Root"), rootOf(m_s3Uri->text()));
    settings.remove(QStringLiteral("s3Uri"));
    settings.setValue(QStringLiteral("endpoint"), m_endpoint->text());
    settings.setValue(QStringLiteral("region"), m_region->text());
    settings.setValue(QStringLiteral("pathStyle"), m_pathStyle->isChecked());
    settings.setValue(QStringLiteral("publicRead"), m_publicRead->isChecked());
    settings.setValue(QStringLiteral("parallel"), m_parallel->value());
    settings.setValue(QStringLiteral("credentialSource"), m_credentialSource->currentIndex());
    settings.setValue(QStringLiteral("remember"), m_remember->isChecked());
    settings.setValue(QStringLiteral("publicUrlRoot"), rootOf(m_publicBaseUrl->text()));
    settings.remove(QStringLiteral("publicBaseUrl"));
    settings.endGroup();
}

QString PublishWindow::credentialAccount() const {
    // One stored key pair per endpoint (AWS, or each S3-compatible service).
    const QString endpoint = m_endpoint->text().trimmed();
    return endpoint.isEmpty() ? QStringLiteral("aws") : QUrl(endpoint).host();
}

void PublishWindow::loadStoredCredentials() {
    m_credentialLookup->stop();
    if (m_credentialSource->currentIndex() != TypedCredentials || !m_secretKey->text().isEmpty())
        return;
    StatusOr<AwsCredentials> stored = m_store->load(credentialAccount());
    if (stored.isOk()) {
        m_accessKey->setText(stored->accessKeyId);
        m_secretKey->setText(stored->secretAccessKey);
    } else if (stored.status().code() == Status::Code::IoError) {
        showKeychainNote(stored.status().message());
    }
}

void PublishWindow::showKeychainNote(const QString& problem) {
    QString text = problem;
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    m_keychainNote->setText(
        tr("%1. The keys typed here are used for this session only and not remembered; to keep "
           "them, start a secret service (GNOME Keyring or KWallet) or choose \"From the "
           "environment or ~/.aws/credentials\".")
            .arg(text));
    m_keychainNote->show();
    // The note's wrapped height depends on the width it gets: lay out again at that width.
    for (QWidget* w = m_keychainNote; w && w != this; w = w->parentWidget())
        if (w->layout())
            w->layout()->invalidate();
    if (layout())
        layout()->activate();
    fitContent();
}

StatusOr<PublishOptions> PublishWindow::collectOptions() {
    PublishOptions options;
    options.sourceDir = m_ladderDir;
    options.publicBaseUrl = m_publicBaseUrl->text().trimmed();
    if (m_destinationKind->currentIndex() == FolderPage) {
        if (m_folder->text().trimmed().isEmpty())
            return Status::error(Status::Code::InvalidArgument, tr("Choose a destination folder."));
        options.destination = PublishOptions::Destination::Folder;
        options.folderPath = m_folder->text().trimmed();
        return options;
    }
    options.destination = PublishOptions::Destination::S3;
    // The same order as hlsforge-cli publish: the bucket, the endpoint, then credentials.
    QString uri = m_s3Uri->text().trimmed();
    if (uri.isEmpty())
        return Status::error(Status::Code::InvalidArgument,
                             tr("Enter the bucket and prefix, e.g. s3://my-bucket/videos/show."));
    if (!uri.contains(QStringLiteral("://")))
        uri.prepend(QStringLiteral("s3://")); // "my-bucket/show" means what it says
    StatusOr<S3Target> target = S3Target::fromUri(uri);
    if (!target.isOk())
        return target.status();
    options.s3 = target.value();
    const QString endpoint = m_endpoint->text().trimmed();
    if (!endpoint.isEmpty()) {
        const QUrl url(endpoint, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
            return Status::error(Status::Code::InvalidArgument,
                                 tr("The endpoint must be an http:// or https:// URL."));
        options.s3.endpoint = url;
    }
    if (m_pathStyle->isChecked())
        options.s3.addressing = S3Target::Addressing::PathStyle;
    options.publicRead = m_publicRead->isChecked();
    options.parallelRequests = m_parallel->value();
    QString region = m_region->text().trimmed();
    if (m_credentialSource->currentIndex() == EnvironmentCredentials) {
        StatusOr<ResolvedCredentials> resolved = resolveCredentials();
        if (!resolved.isOk())
            return resolved.status();
        options.credentials = resolved->credentials;
        if (region.isEmpty())
            region = resolved->region;
    } else {
        options.credentials.accessKeyId = m_accessKey->text().trimmed();
        options.credentials.secretAccessKey = m_secretKey->text();
        if (!options.credentials.isComplete())
            return Status::error(Status::Code::InvalidArgument,
                                 tr("Enter the access key ID and the secret access key."));
        if (m_remember->isChecked()) {
            const Status saved = m_store->save(credentialAccount(), options.credentials);
            if (!saved.isOk())
                showKeychainNote(saved.message());
            else
                m_keychainNote->hide();
        } else {
            m_store->remove(credentialAccount());
        }
    }
    options.s3.region = region.isEmpty() ? QStringLiteral("us-east-1") : region;
    return options;
}

void PublishWindow::startPublish() {
    if (m_job)
        return;
    m_resultUrl->clear();
    m_status->clear();
    m_statusIsValidation = false;
    // Typed straight after the bucket: the delayed keychain lookup has not run yet.
    if (m_credentialLookup->isActive())
        loadStoredCredentials();
    StatusOr<PublishOptions> options = collectOptions();
    if (!options.isOk()) {
        m_status->setText(options.status().message());
        m_statusIsValidation = true;
        return;
    }
    saveSettings();
    m_runningToFolder = options->destination == PublishOptions::Destination::Folder;
    m_job = std::make_unique<PublishJob>(options.value());
    // The Job contract: one finished(); the window reads the snapshot on its timer.
    connect(m_job.get(), &Job::finished, this, [this] { onFinished(m_job->result()); });
    m_progress->setValue(0);
    m_progress->show();
    setRunning(true);
    m_job->start();
    m_poll->start();
}

void PublishWindow::cancelPublish() {
    if (m_job) {
        m_job->cancel();
        m_status->setText(tr("Cancelling…"));
    }
}

void PublishWindow::updateProgress() {
    if (!m_job)
        return;
    const PublishProgress p = m_job->publishProgress();
    if (p.bytesTotal > 0)
        m_progress->setValue(static_cast<int>(1000.0 * p.bytesDone / p.bytesTotal));
    static const char* phases[] = {QT_TR_NOOP("segments"), QT_TR_NOOP("media playlists"),
                                   QT_TR_NOOP("page"), QT_TR_NOOP("master playlist")};
    QString text = tr("%1 of %2 files (%3 already there), %4 of %5 — %6")
                       .arg(p.filesDone)
                       .arg(p.filesTotal)
                       .arg(p.filesSkipped)
                       .arg(formatBytes(p.bytesDone), formatBytes(p.bytesTotal),
                            tr(phases[std::clamp(p.phase, 0, 3)]));
    if (p.bytesPerSecond > 0)
        text += QStringLiteral(", ") + formatBytesPerSecond(p.bytesPerSecond);
    if (p.etaSeconds >= 0)
        text += tr(", about %1 s left").arg(qRound(p.etaSeconds));
    if (p.retries > 0)
        text += tr(", %n retries", nullptr, p.retries);
    m_status->setText(text);
}

void PublishWindow::onFinished(const PublishResult& result) {
    m_poll->stop();
    updateProgress();
    m_lastResult = result;
    m_job.release()->deleteLater(); // we are inside its finished() signal
    setRunning(false);
    // Only a folder the publish accepted is offered again next time.
    if (m_runningToFolder && (result.status.isOk() || result.status.isCancelled())) {
        QSettings settings;
        settings.setValue(QStringLiteral("publish/folderRoot"),
                          rootOf(QDir::fromNativeSeparators(m_folder->text())));
        settings.remove(QStringLiteral("publish/folder"));
    }
    if (result.status.isOk()) {
        m_progress->setValue(1000);
        m_status->setText((m_runningToFolder
                               ? tr("Copied in %1 s: %2 files copied, %3 already there.")
                               : tr("Published in %1 s: %2 files uploaded, %3 already there."))
                              .arg(result.seconds, 0, 'f', 1)
                              .arg(result.filesUploaded)
                              .arg(result.filesSkipped));
        QString links;
        if (!result.playbackUrl.isEmpty())
            links += tr("Playback: <a href=\"%1\">%1</a>").arg(result.playbackUrl.toHtmlEscaped());
        if (!result.pageUrl.isEmpty())
            links += tr("<br>Page: <a href=\"%1\">%1</a>").arg(result.pageUrl.toHtmlEscaped());
        m_resultUrl->setText(links);
    } else if (result.status.isCancelled()) {
        m_status->setText(m_runningToFolder
                              ? tr("Cancelled. Publish again to copy what is still missing.")
                              : tr("Cancelled. Publish again to upload what is still missing."));
    } else {
        m_status->setText(tr("Failed: %1").arg(result.status.message()));
    }
    emit finished(result);
}

void PublishWindow::setRunning(bool running) {
    m_start->setEnabled(!running);
    m_cancel->setText(running ? tr("Cancel") : tr("Close"));
    m_destinationKind->setEnabled(!running);
    m_destinationPages->setEnabled(!running);
    m_publicBaseUrl->setEnabled(!running);
    m_copyUrl->setEnabled(!running && !m_lastResult.playbackUrl.isEmpty());
}

void PublishWindow::closeEvent(QCloseEvent* event) {
    if (m_job) {
        // Cancel is prompt (the job checks its flag every 50 ms); wait for the one result.
        m_job->cancel();
        m_job.reset();
        m_poll->stop();
    }
    QWidget::closeEvent(event);
}

} // namespace hlsforge::gui
